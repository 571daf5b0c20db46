// Boot-time sync of data.db to the collection files: every change keeps the data of untouched columns.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DefinitionError } from '../../src/core/errors.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { GUEST } from '../../src/core/records/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let dirs: TempDirs;
let engine: Engine | undefined;

const open = async (allowDataLoss = false) => {
  await engine?.close();
  engine = undefined;
  engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, allowDataLoss });
  return engine;
};

const posts = (fields: object[], extra: object = {}) => ({
  id: 'posts_id',
  name: 'posts',
  ...OPEN_RULES,
  fields,
  ...extra,
});
const columns = async (e: Engine, table: string) =>
  ((await e.store.all(`SELECT name FROM pragma_table_info(?)`, [table])) as { name: string }[]).map((r) => r.name);

beforeEach(() => {
  dirs = tempDirs();
});
afterEach(async () => {
  await engine?.close();
  engine = undefined;
  dirs.remove();
});

describe('schema sync', () => {
  it('adds, renames and drops columns while the other columns keep their data', async () => {
    dirs.writeCollection(
      posts([
        { id: 'f_title', name: 'title', type: 'text' },
        { id: 'f_views', name: 'views', type: 'number' },
        { id: 'f_keep', name: 'keep', type: 'text' },
        { id: 'f_empty', name: 'unused', type: 'text' },
      ]),
    );
    let e = await open();
    const rec = await e.records.create('posts', { title: 'Hello', views: 5, keep: 'me' }, GUEST);

    const next = posts([
      { id: 'f_title', name: 'headline', type: 'text' },
      { id: 'f_keep', name: 'keep', type: 'text' },
      { id: 'f_body', name: 'body', type: 'editor' },
    ]);
    dirs.writeCollection(next);
    // "views" still holds a value: the start is refused, naming it, and nothing changes.
    await expect(open()).rejects.toThrow(
      /field "views" is gone from the definition but 1 record\(s\) still hold values/,
    );
    e = await open(true);
    expect(e.sync.changed).toEqual(['posts']);
    expect(await columns(e, 'posts')).not.toContain('views');
    expect(await columns(e, 'posts')).not.toContain('title');
    expect(await columns(e, 'posts')).not.toContain('unused');
    const after = await e.records.view('posts', rec.id as string, GUEST);
    expect(after).toMatchObject({ headline: 'Hello', keep: 'me', body: '', created: rec.created });
    expect(after).not.toHaveProperty('views');
  });

  it('drops a field that holds no values without being asked twice', async () => {
    dirs.writeCollection(
      posts([
        { id: 'a', name: 'title', type: 'text' },
        { id: 'b', name: 'blank', type: 'text' },
      ]),
    );
    let e = await open();
    await e.records.create('posts', { title: 'x' }, GUEST);
    dirs.writeCollection(posts([{ id: 'a', name: 'title', type: 'text' }]));
    e = await open();
    expect(await columns(e, 'posts')).not.toContain('blank');
  });

  it('swaps two field names without losing either column', async () => {
    dirs.writeCollection(
      posts([
        { id: 'a', name: 'first', type: 'text' },
        { id: 'b', name: 'second', type: 'text' },
      ]),
    );
    let e = await open();
    const rec = await e.records.create('posts', { first: 'one', second: 'two' }, GUEST);
    dirs.writeCollection(
      posts([
        { id: 'a', name: 'second', type: 'text' },
        { id: 'b', name: 'first', type: 'text' },
      ]),
    );
    e = await open();
    expect(await e.records.view('posts', rec.id as string, GUEST)).toMatchObject({ second: 'one', first: 'two' });
  });

  it('rebuilds the table when a type changes, casting the kept values', async () => {
    dirs.writeCollection(
      posts([
        { id: 'n', name: 'count', type: 'text' },
        { id: 's', name: 'tag', type: 'select', values: ['a', 'b'] },
        { id: 'k', name: 'keep', type: 'text' },
      ]),
    );
    let e = await open();
    const rec = await e.records.create('posts', { count: '42', tag: 'b', keep: 'safe' }, GUEST);
    dirs.writeCollection(
      posts([
        { id: 'n', name: 'count', type: 'number' },
        { id: 's', name: 'tag', type: 'select', values: ['a', 'b'], maxSelect: 2 },
        { id: 'k', name: 'keep', type: 'text' },
      ]),
    );
    e = await open();
    expect(await e.records.view('posts', rec.id as string, GUEST)).toMatchObject({
      count: 42,
      tag: ['b'],
      keep: 'safe',
    });
  });

  it('renames the table when the collection is renamed (same id)', async () => {
    dirs.writeCollection(posts([{ name: 'title', type: 'text' }]));
    let e = await open();
    const rec = await e.records.create('posts', { title: 'kept' }, GUEST);
    // The file is replaced by one for the renamed collection.
    rmSync(join(dirs.collectionsDir, 'posts.json'));
    dirs.writeCollection({ ...posts([{ name: 'title', type: 'text' }]), name: 'articles' });
    e = await open();
    expect(await e.records.view('articles', rec.id as string, GUEST)).toMatchObject({
      title: 'kept',
      collectionName: 'articles',
    });
  });

  it('creates and drops unique indexes as the file says', async () => {
    dirs.writeCollection(
      posts([{ name: 'slug', type: 'text' }], { indexes: ['CREATE UNIQUE INDEX idx_slug ON posts (slug)'] }),
    );
    let e = await open();
    await e.records.create('posts', { slug: 'a' }, GUEST);
    await expect(e.records.create('posts', { slug: 'a' }, GUEST)).rejects.toMatchObject({
      status: 400,
      data: { slug: { code: 'validation_not_unique' } },
    });
    dirs.writeCollection(posts([{ name: 'slug', type: 'text' }]));
    e = await open();
    await expect(e.records.create('posts', { slug: 'a' }, GUEST)).resolves.toMatchObject({ slug: 'a' });
  });

  it('rolls everything back when SQLite refuses part of a definition', async () => {
    dirs.writeCollection(posts([{ id: 't', name: 'title', type: 'text' }]));
    let e = await open();
    await e.records.create('posts', { title: 'dup' }, GUEST);
    await e.records.create('posts', { title: 'dup' }, GUEST);
    e.close();
    engine = undefined;
    // A unique index over duplicate data cannot be created: the added column must not appear either.
    dirs.writeCollection(
      posts(
        [
          { id: 't', name: 'title', type: 'text' },
          { id: 'x', name: 'extra', type: 'text' },
        ],
        {
          indexes: ['CREATE UNIQUE INDEX idx_title ON posts (title)'],
        },
      ),
    );
    await expect(open()).rejects.toThrow(DefinitionError);
    dirs.writeCollection(posts([{ id: 't', name: 'title', type: 'text' }]));
    e = await open();
    expect(await columns(e, 'posts')).not.toContain('extra');
    expect((await e.records.list('posts', {}, GUEST)).totalItems).toBe(2);
  });

  it('keeps the table of a collection whose file is gone, and serves it again when it returns', async () => {
    dirs.writeCollection(posts([{ name: 'title', type: 'text' }]));
    let e = await open();
    const rec = await e.records.create('posts', { title: 'survivor' }, GUEST);
    rmSync(join(dirs.collectionsDir, 'posts.json'));
    e = await open();
    expect(e.sync.detached).toEqual(['posts']);
    await expect(e.records.list('posts', {}, GUEST)).rejects.toThrow('Missing collection context.');
    dirs.writeCollection(posts([{ name: 'title', type: 'text' }]));
    e = await open();
    expect((await e.records.view('posts', rec.id as string, GUEST)).title).toBe('survivor');
  });

  it('changes nothing when the files did not change', async () => {
    dirs.writeCollection(posts([{ name: 'title', type: 'text' }]));
    expect((await open()).sync.created).toEqual(['_superusers', '_externalAuths', 'posts']);
    const again = await open();
    expect(again.sync).toEqual({ created: [], changed: [], detached: [] });
  });
});

describe('invalid definitions stop the boot with a message naming the file and the field', () => {
  const cases: [string, string, RegExp][] = [
    [
      'unknown field type',
      JSON.stringify(posts([{ name: 'c', type: 'colour' }])),
      /posts\.json: field "c": unknown type "colour"/,
    ],
    [
      'bad option value',
      JSON.stringify(posts([{ name: 'title', type: 'text', min: 'x' }])),
      /posts\.json: field "title": "min"/,
    ],
    [
      'unknown option',
      JSON.stringify(posts([{ name: 'title', type: 'text', requried: true }])),
      /field "title": .*requried/,
    ],
    [
      'duplicate field',
      JSON.stringify(
        posts([
          { name: 'a', type: 'text' },
          { name: 'A', type: 'bool' },
        ]),
      ),
      /field "A": the name is used twice/,
    ],
    [
      'reserved name',
      JSON.stringify(posts([{ name: 'expand', type: 'text' }])),
      /field "expand": the name is reserved/,
    ],
    [
      'bad field name',
      JSON.stringify(posts([{ name: 'drop table;', type: 'text' }])),
      /posts\.json: field "drop table;": "name"/,
    ],
    [
      'relation target',
      JSON.stringify(posts([{ name: 'r', type: 'relation', collectionId: 'ghosts' }])),
      /field "r": collectionId "ghosts" names no collection/,
    ],
    ['select without values', JSON.stringify(posts([{ name: 's', type: 'select' }])), /field "s": "values"/],
    [
      'bad pattern',
      JSON.stringify(posts([{ name: 'p', type: 'text', pattern: '([' }])),
      /field "p": pattern is not a valid regular expression/,
    ],
    [
      'index injection',
      JSON.stringify(posts([], { indexes: ['CREATE INDEX i ON posts (id); DROP TABLE posts'] })),
      /is not a single CREATE/,
    ],
    [
      'index on another table',
      JSON.stringify(posts([], { indexes: ['CREATE INDEX i ON users (id)'] })),
      /on table "users", not on "posts"/,
    ],
    [
      'password in a base collection',
      JSON.stringify(posts([{ name: 'pw', type: 'password' }])),
      /field "pw": password fields belong to auth collections/,
    ],
    [
      'unknown OAuth2 provider',
      JSON.stringify(posts([], { type: 'auth', oauth2: { providers: [{ name: 'myspace' }] } })),
      /posts\.json: oauth2\.providers\.0\.name: unknown provider "myspace" \(one of apple, .*oidc3\)/,
    ],
    [
      'OAuth2 on without a client id',
      JSON.stringify(posts([], { type: 'auth', oauth2: { enabled: true, providers: [{ name: 'google' }] } })),
      /oauth2\.providers\.0\.clientId: cannot be blank/,
    ],
    [
      'OAuth2 mapped to a field that does not exist',
      JSON.stringify(posts([], { type: 'auth', oauth2: { mappedFields: { avatarURL: 'avatar' } } })),
      /oauth2\.mappedFields\.avatarURL: there is no field "avatar"/,
    ],
    [
      'OAuth2 option misspelt',
      JSON.stringify(posts([], { type: 'auth', oauth2: { enabled: true, provider: [] } })),
      /oauth2\.provider: /,
    ],
    [
      'OpenID Connect without issuer or endpoints',
      JSON.stringify(
        posts([], {
          type: 'auth',
          oauth2: { enabled: true, providers: [{ name: 'oidc', clientId: 'a', clientSecret: 'b' }] },
        }),
      ),
      /oauth2\.providers\.0: an OpenID Connect provider needs extra\.issuer/,
    ],
    [
      'OAuth2 on a base collection',
      JSON.stringify(posts([], { oauth2: { enabled: false } })),
      /oauth2 only apply to auth/,
    ],
    ['not JSON', '{ "name": ', /posts\.json: not valid JSON/],
    ['name differs from file', JSON.stringify({ name: 'other' }), /must be named after its collection: other\.json/],
  ];
  it.each(cases)('%s', async (_name, text, message) => {
    writeFileSync(join(dirs.collectionsDir, 'posts.json'), text);
    let error: unknown;
    try {
      await open();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as Error).message).toMatch(message);
  });
});
