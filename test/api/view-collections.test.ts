// View collections: read-only records from a SELECT, with fields inferred from the query, served like any other
// collection (list, view, filter, sort, expand, rules), from files and through the collections API.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type RunningServer, type SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let dirs: TempDirs;
let app: SatchelApp;
let server: RunningServer;
let pb: PocketBase;

async function start(): Promise<void> {
  app = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, rateLimit: false });
  server = await app.listen({ port: 0 });
  pb = new PocketBase(server.url);
}

beforeAll(async () => {
  dirs = tempDirs();
  dirs.writeCollection({ name: 'authors', ...OPEN_RULES, fields: [{ name: 'name', type: 'text' }] });
  dirs.writeCollection({
    name: 'posts',
    ...OPEN_RULES,
    fields: [
      { name: 'title', type: 'text' },
      { name: 'views', type: 'number' },
      { name: 'author', type: 'relation', collectionId: 'authors', maxSelect: 1 },
    ],
  });
  dirs.writeCollection({
    name: 'author_stats',
    type: 'view',
    listRule: '',
    viewRule: 'posts > 0',
    viewQuery:
      'SELECT a.id AS id, a.name AS name, COUNT(p.id) AS posts, SUM(p.views) AS total_views\n' +
      'FROM authors a LEFT JOIN posts p ON p.author = a.id GROUP BY a.id',
  });
  dirs.writeCollection({
    name: 'post_cards',
    type: 'view',
    listRule: '',
    viewRule: '',
    viewQuery:
      'SELECT p.id, p.title, p.author, a.name AS author_name, UPPER(p.title) AS shout, p.views * 2 AS doubled, ' +
      'CAST(p.views + 1 AS INTEGER) AS next FROM posts p JOIN authors a ON a.id = p.author;',
  });
  await start();
  const ann = await app.records.create('authors', { name: 'Ann' }, SUPERUSER);
  const bob = await app.records.create('authors', { name: 'Bob' }, SUPERUSER);
  await app.records.create('authors', { name: 'Cy' }, SUPERUSER);
  await app.records.create('posts', { title: 'one', views: 10, author: ann.id }, SUPERUSER);
  await app.records.create('posts', { title: 'two', views: 5, author: ann.id }, SUPERUSER);
  await app.records.create('posts', { title: 'three', views: 1, author: bob.id }, SUPERUSER);
  await app.auth.upsertSuperuser('root@example.com', 'password123');
});

afterAll(async () => {
  await server.close();
  await app.close();
  dirs.remove();
});

describe('view collections from files', () => {
  it('aggregate: counts and sums per group, typed as numbers, filtered and sorted', async () => {
    const list = await pb.collection('author_stats').getFullList({ sort: '-total_views' });
    expect(list.map((r) => [r.name, r.posts, r.total_views])).toEqual([
      ['Ann', 2, 15],
      ['Bob', 1, 1],
      ['Cy', 0, 0],
    ]);
    const busy = await pb.collection('author_stats').getFullList({ filter: 'posts > 1' });
    expect(busy.map((r) => r.name)).toEqual(['Ann']);
    const fields = app.records.collection('author_stats').fields.map((f) => `${f.name}:${f.type}`);
    expect(fields).toEqual(['id:text', 'name:text', 'posts:number', 'total_views:number']);
  });

  it('the view rule applies (an author with no posts is a 404), with the view’s own fields', async () => {
    const [cy] = await pb.collection('author_stats').getFullList({ filter: 'name = "Cy"' });
    await expect(pb.collection('author_stats').getOne(cy!.id)).rejects.toMatchObject({ status: 404 });
    const [ann] = await pb.collection('author_stats').getFullList({ filter: 'name = "Ann"' });
    expect((await pb.collection('author_stats').getOne(ann!.id)).posts).toBe(2);
  });

  it('join and computed expressions; a relation column stays a relation and expands', async () => {
    const cards = await pb.collection('post_cards').getFullList({ sort: 'title', expand: 'author' });
    expect(cards.map((c) => [c.title, c.author_name, c.shout, c.doubled, c.next])).toEqual([
      ['one', 'Ann', 'ONE', 20, 11],
      ['three', 'Bob', 'THREE', 2, 2],
      ['two', 'Ann', 'TWO', 10, 6],
    ]);
    expect(cards[0]!.expand?.author.name).toBe('Ann');
    const types = Object.fromEntries(app.records.collection('post_cards').fields.map((f) => [f.name, f.type]));
    expect(types).toMatchObject({ author: 'relation', shout: 'json', doubled: 'json', next: 'number' });
  });

  it('records of a view are read-only', async () => {
    await expect(pb.collection('post_cards').create({ title: 'x' })).rejects.toMatchObject({ status: 400 });
    const [card] = await pb.collection('post_cards').getFullList();
    await expect(pb.collection('post_cards').delete(card!.id)).rejects.toMatchObject({ status: 400 });
  });
});

describe('view collections through the API', () => {
  it('are created, served at once, written to their file (the query, not the fields)', async () => {
    await pb.collection('_superusers').authWithPassword('root@example.com', 'password123');
    await pb.collections.create({
      name: 'popular',
      type: 'view',
      listRule: '',
      viewQuery: 'SELECT id, title, views FROM posts WHERE views >= 5',
    });
    const popular = await pb.collection('popular').getFullList({ sort: '-views' });
    expect(popular.map((p) => p.title)).toEqual(['one', 'two']);
    const file = JSON.parse(readFileSync(join(dirs.collectionsDir, 'popular.json'), 'utf8'));
    expect(file.viewQuery).toContain('SELECT id, title, views');
    expect(file.fields).toBeUndefined();
  });

  it('a query that is not one read-only SELECT, fails, or has no id is a 400 naming it, and nothing changes', async () => {
    await pb.collection('_superusers').authWithPassword('root@example.com', 'password123');
    for (const viewQuery of [
      'DELETE FROM posts',
      'SELECT 1 AS id; DROP TABLE posts',
      'PRAGMA table_info(posts)',
      "ATTACH DATABASE 'x.db' AS x",
      'SELECT id FROM missing_table',
      'SELECT title FROM posts',
      'SELECT id, title, title FROM posts',
    ]) {
      const res = await fetch(`${server.url}/api/collections`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: pb.authStore.token },
        body: JSON.stringify({ name: 'bad_view', type: 'view', viewQuery }),
      });
      expect(res.status, viewQuery).toBe(400);
      expect(((await res.json()) as any).data.viewQuery.code, viewQuery).toBe('validation_invalid_view_query');
      expect(existsSync(join(dirs.collectionsDir, 'bad_view.json'))).toBe(false);
    }
    // The posts table is still there, with its rows.
    expect((await pb.collection('posts').getFullList()).length).toBe(3);
  });

  it('survive a restart', async () => {
    await server.close();
    await app.close();
    await start();
    expect((await pb.collection('popular').getFullList()).length).toBe(2);
    expect((await pb.collection('author_stats').getFullList()).length).toBe(3);
  });
});
