// API rules and client filters against real collections: who sees, changes and deletes which record.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { GUEST, SUPERUSER, type Access } from '../../src/core/records/index.js';
import { tempDirs, type TempDirs } from '../helpers/temp-app.js';

let engine: Engine;
let dirs: TempDirs;
let alice: Access;
let bob: Access;
const ids: Record<string, string> = {};

const asUser = (record: Record<string, unknown>): Access => ({
  superuser: false,
  auth: { id: record.id as string, collectionId: '_pb_users_auth_', collectionName: 'users', record },
});

beforeAll(async () => {
  dirs = tempDirs();
  dirs.writeCollection(JSON.parse(readFileSync('collections/users.json', 'utf8')));
  dirs.writeCollection({
    name: 'tags',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [{ name: 'name', type: 'text' }],
  });
  dirs.writeCollection({
    name: 'posts',
    listRule: 'public = true || author = @request.auth.id',
    viewRule: 'public = true || author = @request.auth.id',
    createRule: '@request.auth.id != "" && author = @request.auth.id',
    updateRule: 'author = @request.auth.id && @request.body.author:changed = false',
    deleteRule: 'author = @request.auth.id',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'public', type: 'bool' },
      { name: 'author', type: 'relation', collectionId: 'users', maxSelect: 1 },
      { name: 'tags', type: 'relation', collectionId: 'tags', maxSelect: 5 },
      { name: 'secret', type: 'text', hidden: true },
    ],
  });
  dirs.writeCollection({
    name: 'comments',
    listRule: '',
    viewRule: '',
    createRule: '',
    fields: [
      { name: 'post', type: 'relation', collectionId: 'posts', maxSelect: 1 },
      { name: 'text', type: 'text' },
    ],
  });
  dirs.writeCollection({
    name: 'memberships',
    listRule: '',
    fields: [
      { name: 'user', type: 'relation', collectionId: 'users', maxSelect: 1 },
      { name: 'post', type: 'relation', collectionId: 'posts', maxSelect: 1 },
    ],
  });
  dirs.writeCollection({
    name: 'drafts',
    listRule: '@collection.memberships.user ?= @request.auth.id && @collection.memberships.post ?= post',
    fields: [{ name: 'post', type: 'relation', collectionId: 'posts', maxSelect: 1 }],
  });
  engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
  const r = engine.records;
  const user = (email: string, username: string, name: string) =>
    r.create('users', { email, username, name, password: 'password123', passwordConfirm: 'password123' }, GUEST);
  const a = await user('alice@example.com', 'alice', 'Alice');
  const b = await user('bob@example.com', 'bob', 'Bob');
  alice = asUser(a);
  bob = asUser(b);
  ids.alice = a.id as string;
  ids.bob = b.id as string;
  ids.tagX = (await r.create('tags', { name: 'x' }, GUEST)).id as string;
  ids.tagY = (await r.create('tags', { name: 'y' }, GUEST)).id as string;
  const post = (title: string, views: number, isPublic: boolean, who: Access, tags: string[] = []) =>
    r.create('posts', { title, views, public: isPublic, author: who.auth!.id, tags, secret: 's' }, who);
  ids.alicePublic = (await post('Hello world', 5, true, alice, [ids.tagX])).id as string;
  ids.alicePrivate = (await post('Alice private', 9, false, alice, [ids.tagX, ids.tagY])).id as string;
  ids.bobPrivate = (await post('Bob private', 1, false, bob)).id as string;
  await r.create('comments', { post: ids.alicePublic, text: 'nice post' }, GUEST);
  await r.create('memberships', { user: ids.bob, post: ids.alicePrivate }, SUPERUSER);
  ids.draft = (await r.create('drafts', { post: ids.alicePrivate }, SUPERUSER)).id as string;
  await r.create('drafts', { post: ids.alicePublic }, SUPERUSER);
});

afterAll(async () => {
  await engine.close();
  dirs.remove();
});

const titles = async (access: Access, filter?: string, sort = 'title') =>
  (await engine.records.list('posts', { filter, sort }, access)).items.map((p) => p.title);

async function status(fn: () => unknown): Promise<number> {
  try {
    await fn();
    return 200;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

describe('rules', () => {
  it('the list rule filters silently', async () => {
    expect(await titles(GUEST)).toEqual(['Hello world']);
    expect(await titles(alice)).toEqual(['Alice private', 'Hello world']);
    expect(await titles(bob)).toEqual(['Bob private', 'Hello world']);
    expect(await titles(SUPERUSER)).toHaveLength(3);
  });

  it('a view the rule denies is a 404', async () => {
    expect(await status(() => engine.records.view('posts', ids.alicePrivate!, bob))).toBe(404);
    expect(await status(() => engine.records.view('posts', ids.alicePrivate!, GUEST))).toBe(404);
    expect(await status(() => engine.records.view('posts', ids.alicePrivate!, alice))).toBe(200);
  });

  it("users see their own record and not another's (users.json rules)", async () => {
    expect((await engine.records.list('users', {}, alice)).items.map((u) => u.username)).toEqual(['alice']);
    expect(await status(() => engine.records.view('users', ids.bob!, alice))).toBe(404);
    expect((await engine.records.view('users', ids.alice!, alice)).email).toBe('alice@example.com');
    expect(await status(() => engine.records.update('users', ids.bob!, { name: 'hacked' }, alice))).toBe(404);
    expect(await status(() => engine.records.delete('users', ids.bob!, alice))).toBe(404);
    expect((await engine.records.view('users', ids.bob!, SUPERUSER)).name).toBe('Bob');
  });

  it("updating or deleting another user's post is a 404 and changes nothing", async () => {
    expect(await status(() => engine.records.update('posts', ids.alicePrivate!, { title: 'pwned' }, bob))).toBe(404);
    expect(await status(() => engine.records.delete('posts', ids.alicePrivate!, bob))).toBe(404);
    expect((await engine.records.view('posts', ids.alicePrivate!, alice)).title).toBe('Alice private');
  });

  it('update rules see the body: changing the author is refused', async () => {
    expect(await status(() => engine.records.update('posts', ids.alicePublic!, { author: ids.bob }, alice))).toBe(404);
    const ok = await engine.records.update('posts', ids.alicePublic!, { views: 6 }, alice);
    expect(ok.views).toBe(6);
  });

  it("create rules see the new values: a post in someone else's name is a 400", async () => {
    expect(await status(() => engine.records.create('posts', { title: 't', author: ids.alice }, bob))).toBe(400);
    expect(await status(() => engine.records.create('posts', { title: 't', author: ids.alice }, GUEST))).toBe(400);
    const created = await engine.records.create('posts', { title: 'Bob again', author: ids.bob }, bob);
    expect(created.author).toBe(ids.bob);
    await engine.records.delete('posts', created.id as string, bob);
  });

  it('@collection joins test the same row for every condition', async () => {
    const asBob = (await engine.records.list('drafts', {}, bob)).items.map((d) => d.id);
    expect(asBob).toEqual([ids.draft]);
    expect((await engine.records.list('drafts', {}, alice)).items).toEqual([]);
  });

  it('a locked rule is a 403', async () => {
    expect(await status(() => engine.records.list('memberships', {}, GUEST))).toBe(200);
    expect(await status(() => engine.records.view('memberships', 'x', GUEST))).toBe(403);
    expect(await status(() => engine.records.update('memberships', 'nope', {}, GUEST))).toBe(403);
  });
});

describe('client filters', () => {
  const cases: [string, string, string[]][] = [
    ['LIKE wraps with %', 'title ~ "hello"', ['Hello world']],
    ['not LIKE', 'title !~ "world"', ['Alice private']],
    ['numbers and &&', 'views > 4 && views < 9', ['Hello world']],
    ['|| and parentheses', '(views = 9 || views = 5) && public = false', ['Alice private']],
    ['relation path', 'author.name = "Alice"', ['Alice private', 'Hello world']],
    ['back-relation any-of', 'comments_via_post.text ?~ "nice"', ['Hello world']],
    ['multi relation path any-of', 'tags.name ?= "y"', ['Alice private']],
    ['multi relation path all-of', 'tags.name = "x"', ['Hello world']],
    [':length', 'tags:length = 2', ['Alice private']],
    [':lower', 'title:lower = "hello world"', ['Hello world']],
    ['datetime macro', 'created <= @now && created >= @yearStart', ['Alice private', 'Hello world']],
    ['null literal', 'title != null', ['Alice private', 'Hello world']],
  ];
  it.each(cases)('%s', async (_name, filter, expected) => {
    expect(await titles(alice, filter)).toEqual(expected);
  });

  it(':each compares every element of a multi-valued field', async () => {
    expect(await titles(alice, `tags:each ?= "${ids.tagY}"`)).toEqual(['Alice private']);
    expect(await titles(alice, `tags:each = "${ids.tagX}"`)).toEqual(['Hello world']);
  });

  it('sorts through a relation', async () => {
    expect(await titles(SUPERUSER, undefined, '-author.name,title')).toEqual([
      'Bob private',
      'Alice private',
      'Hello world',
    ]);
  });

  const refused: [string, string, number, RegExp][] = [
    ['a parse error says where', 'title = ', 400, /position/],
    ['an unknown field is named', 'nope = 1', 400, /"nope"/],
    ['hidden fields are not filterable by users', 'secret = "s"', 400, /"secret"/],
    ['@request in a client filter is superusers only', 'author = @request.auth.id', 403, /@request/],
    ['@collection in a client filter is superusers only', '@collection.tags.name = "x"', 403, /@collection/],
  ];
  it.each(refused)('%s', async (_name, filter, code, message) => {
    let error: unknown;
    try {
      await titles(alice, filter);
    } catch (err) {
      error = err;
    }
    expect((error as ApiError).status ?? 400).toBe(code);
    expect((error as Error).message).toMatch(message);
  });

  it('e-mails their owners keep private cannot be probed by filter', async () => {
    const comments = async (access: Access, filter: string) =>
      (await engine.records.list('comments', { filter }, access)).items;
    expect(await comments(bob, 'post.author.email ~ "alice"')).toEqual([]);
    expect(await comments(alice, 'post.author.email ~ "alice"')).toHaveLength(1);
    // Bob may not list Alice's user record (users' list rule), so a filter through it cannot see her name.
    expect(await comments(bob, 'post.author.name = "Alice"')).toEqual([]);
    expect(await comments(alice, 'post.author.name = "Alice"')).toHaveLength(1);
  });
});

describe('expand', () => {
  const withQuery = (expand: string) => ({
    method: 'GET',
    context: 'default',
    query: { expand },
    headers: {},
    body: {},
  });

  it('expands single and multiple relations, nested, and back-relations', async () => {
    const post = await engine.records.view('posts', ids.alicePrivate!, alice, withQuery('author,tags'));
    expect((post.expand as any).author.username).toBe('alice');
    expect((post.expand as any).tags.map((t: any) => t.name)).toEqual(['x', 'y']);
    expect(Object.keys(post).at(-1)).toBe('expand');

    const comments = await engine.records.list('comments', {}, alice, withQuery('post.author'));
    const expanded = (comments.items[0]!.expand as any).post;
    expect(expanded.id).toBe(ids.alicePublic);
    expect(expanded.expand.author.id).toBe(ids.alice);

    const withComments = await engine.records.view('posts', ids.alicePublic!, GUEST, withQuery('comments_via_post'));
    expect((withComments.expand as any).comments_via_post.map((c: any) => c.text)).toEqual(['nice post']);
  });

  it("leaves out what the related collection's view rule hides, and unknown paths", async () => {
    const asBob = await engine.records.view('posts', ids.alicePublic!, bob, withQuery('author,nope,title.x'));
    // As PocketBase: `author` resolves (its view rule filters Alice out), so `expand` is there, and empty.
    expect(asBob.expand).toEqual({});
    const unknownOnly = await engine.records.view('posts', ids.alicePublic!, bob, withQuery('nope,title.x'));
    expect(unknownOnly).not.toHaveProperty('expand');
    const drafts = await engine.records.list('drafts', {}, SUPERUSER, withQuery('post'));
    expect(drafts.items.every((d) => (d.expand as any).post.id === d.post)).toBe(true);
  });
});
