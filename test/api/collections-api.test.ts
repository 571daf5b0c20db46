// The collections API on a real server with the official SDK: schema changes served at once, written back to the
// collection files, kept across a restart; refused changes leave the database and the files as they were.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp, type RunningServer, type SatchelApp } from '../../src/app.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let dirs: TempDirs;
let app: SatchelApp;
let server: RunningServer;
let pb: PocketBase;

async function start(): Promise<void> {
  app = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, rateLimit: false });
  server = await app.listen({ port: 0 });
  pb = new PocketBase(server.url);
  await app.auth.upsertSuperuser('root@example.com', 'password123');
  await pb.collection('_superusers').authWithPassword('root@example.com', 'password123');
}

async function stop(): Promise<void> {
  await server.close();
  await app.close();
}

beforeEach(async () => {
  dirs = tempDirs();
  dirs.writeCollection({ name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] });
  await start();
});

afterEach(async () => {
  await stop();
  dirs.remove();
});

const file = (name: string) => join(dirs.collectionsDir, `${name}.json`);
const readFile = (name: string) => JSON.parse(readFileSync(file(name), 'utf8'));

describe('the collections API', () => {
  it('is for superusers only', async () => {
    const guest = await fetch(`${server.url}/api/collections`);
    expect(guest.status).toBe(401);
  });

  it('lists and views collections in PocketBase’s shape, and gives scaffolds', async () => {
    const all = await pb.collections.getFullList();
    // PocketBase's system collections are listed too (_externalAuths holds OAuth2 links).
    expect(all.map((c) => c.name).sort()).toEqual(['_externalAuths', '_superusers', 'posts']);
    const posts = await pb.collections.getOne('posts');
    expect(posts.fields.map((f: { name: string }) => f.name)).toEqual(['id', 'title', 'created', 'updated']);
    expect(posts.listRule).toBe('');
    const auth = await pb.collections.getFullList({ filter: 'type = "auth" && name ~ "super"' });
    expect(auth.map((c) => c.name)).toEqual(['_superusers']);
    const open = await pb.collections.getList(1, 10, { filter: 'listRule = "" && system = false' });
    expect(open.items.map((c) => c.name)).toEqual(['posts']);
    await expect(pb.collections.getList(1, 10, { filter: 'nope = 1' })).rejects.toMatchObject({ status: 400 });
    const scaffolds = await pb.collections.getScaffolds();
    expect(Object.keys(scaffolds)).toEqual(expect.arrayContaining(['base', 'auth', 'view']));
    // A scaffold sent back as it came (its empty id included), with a name, makes a collection.
    const made = await pb.collections.create({ ...scaffolds.base, name: 'from_scaffold' });
    expect(made.id).toMatch(/^pbc_/);
    expect(made.fields.map((f) => f.name)).toEqual(['id', 'created', 'updated']);
  });

  it('creates a collection that serves at once and is written to its file', async () => {
    const notes = await pb.collections.create({
      name: 'notes',
      type: 'base',
      listRule: '',
      viewRule: '',
      createRule: '',
      fields: [{ name: 'text', type: 'text', required: true }],
    });
    expect(notes.id).toMatch(/^pbc_/);
    const record = await pb.collection('notes').create({ text: 'hello' });
    expect(record.text).toBe('hello');
    const written = readFile('notes');
    expect(written.name).toBe('notes');
    // System fields that say nothing beyond the defaults stay out of the file.
    expect(written.fields.map((f: { name: string }) => f.name)).toEqual(['text']);
    expect(readFileSync(file('notes'), 'utf8').endsWith('}\n')).toBe(true);
  });

  it('adds a field: served at once, in the file, and still there with its data after a restart', async () => {
    const before = await pb.collections.getOne('posts');
    await pb.collection('posts').create({ title: 'kept' });
    await pb.collections.update('posts', {
      fields: [...before.fields, { name: 'score', type: 'number' }],
    });
    const created = await pb.collection('posts').create({ title: 'scored', score: 7 });
    expect(created.score).toBe(7);
    expect(readFile('posts').fields.map((f: { name: string }) => f.name)).toEqual(['title', 'score']);
    await stop();
    await start();
    const list = await pb.collection('posts').getFullList({ sort: 'created' });
    expect(list.map((r) => [r.title, r.score])).toEqual([
      ['kept', 0],
      ['scored', 7],
    ]);
  });

  it('renames a field by keeping its id: the data goes with it', async () => {
    await pb.collection('posts').create({ title: 'carried over' });
    const posts = await pb.collections.getOne('posts');
    const fields = posts.fields.map((f: { name: string }) => (f.name === 'title' ? { ...f, name: 'headline' } : f));
    await pb.collections.update('posts', { fields });
    const [record] = await pb.collection('posts').getFullList();
    expect(record!.headline).toBe('carried over');
  });

  it('a refused change is a 400 naming the problem and changes nothing, in the database or on disk', async () => {
    const text = readFileSync(file('posts'), 'utf8');
    const posts = await pb.collections.getOne('posts');
    const twice = await fetch(`${server.url}/api/collections/posts`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: pb.authStore.token },
      body: JSON.stringify({ fields: [...posts.fields, { name: 'title', type: 'text' }] }),
    });
    expect(twice.status).toBe(400);
    const body = (await twice.json()) as any;
    expect(body.data.fields['4'].name.code).toBe('validation_not_unique');
    const badRule = await fetch(`${server.url}/api/collections/posts`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: pb.authStore.token },
      body: JSON.stringify({ listRule: 'nope ~~ 1' }),
    });
    expect(badRule.status).toBe(400);
    expect(((await badRule.json()) as any).data.listRule.code).toBe('validation_invalid_rule');
    await expect(pb.collections.create({ name: 'POSTS', type: 'base' })).rejects.toMatchObject({ status: 400 });
    expect(readFileSync(file('posts'), 'utf8')).toBe(text);
    expect((await pb.collections.getOne('posts')).listRule).toBe('');
  });

  it('a collection file changed on disk since the start is not overwritten (409)', async () => {
    writeFileSync(file('posts'), readFileSync(file('posts'), 'utf8').replace('"title"', '"title2"'));
    await expect(pb.collections.update('posts', { listRule: null })).rejects.toMatchObject({ status: 409 });
    expect(readFile('posts').fields[0].name).toBe('title2');
  });

  it('deletes: refused while referenced (naming who), then the table and the file go', async () => {
    const posts = await pb.collections.getOne('posts');
    await pb.collections.create({
      name: 'comments',
      type: 'base',
      fields: [{ name: 'post', type: 'relation', collectionId: posts.id, maxSelect: 1 }],
    });
    await expect(pb.collections.delete('posts')).rejects.toMatchObject({ status: 400 });
    const res = await fetch(`${server.url}/api/collections/posts`, {
      method: 'DELETE',
      headers: { authorization: pb.authStore.token },
    });
    expect(((await res.json()) as any).message).toContain('"comments"');
    await pb.collections.delete('comments');
    expect(existsSync(file('comments'))).toBe(false);
    await expect(pb.collection('comments').getList()).rejects.toMatchObject({ status: 404 });
    const tables = await app.store.all<{ name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'comments'",
    );
    expect(tables).toEqual([]);
  });

  it('truncates a collection through the write pipeline', async () => {
    for (let i = 0; i < 3; i++) await pb.collection('posts').create({ title: `p${i}` });
    const deleted: string[] = [];
    app.onRecordAfterDeleteSuccess('posts', (e) => {
      deleted.push(String(e.record.id));
      return e.next();
    });
    await pb.collections.truncate('posts');
    expect(await pb.collection('posts').getFullList()).toEqual([]);
    expect(deleted.length).toBe(3);
  });

  it('imports collections (and with deleteMissing, removes the others)', async () => {
    const tags: any = { name: 'tags', type: 'base', fields: [{ name: 'label', type: 'text' }] };
    const authors: any = { name: 'authors', type: 'base', fields: [{ name: 'name', type: 'text' }] };
    await pb.collections.import([tags, authors]);
    expect((await pb.collections.getFullList()).map((c) => c.name).sort()).toEqual([
      '_externalAuths',
      '_superusers',
      'authors',
      'posts',
      'tags',
    ]);
    await pb.collections.import([tags], true);
    expect((await pb.collections.getFullList()).map((c) => c.name).sort()).toEqual([
      '_externalAuths',
      '_superusers',
      'tags',
    ]);
    expect(existsSync(file('posts'))).toBe(false);
    expect(readFile('tags').name).toBe('tags');
  });
});
