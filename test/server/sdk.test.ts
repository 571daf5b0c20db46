// End-to-end: the official PocketBase JS SDK against a real `satchel serve` process.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDriver as Sqlite } from '../../src/core/db/sqlite/driver.js';
import PocketBase, { ClientResponseError, type RecordModel } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, startServer, writeCollection, type TestServer } from './helpers/server.js';

const RECORD_ID = /^[a-z0-9]{15}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LEADING_KEYS = ['id', 'collectionId', 'collectionName', 'created', 'updated'];

/** A posts-like collection; `id` is given so collectionId is predictable. */
function postsDefinition(name: string, id: string) {
  return {
    id,
    name,
    listRule: '',
    viewRule: '',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text', required: true, max: 100 },
      { name: 'views', type: 'number' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
    ],
  };
}

function client(url: string): PocketBase {
  // Parallel calls to the same route must not cancel each other.
  return new PocketBase(url).autoCancellation(false);
}

/** The rejection of `promise`, which must be a ClientResponseError. */
async function responseError(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(ClientResponseError);
    return err as ClientResponseError;
  }
  throw new Error('expected the request to fail, but it succeeded');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  await cleanup();
});

describe('records through the PocketBase SDK', () => {
  let server: TestServer;
  let pb: PocketBase;

  beforeAll(async () => {
    server = await startServer({
      collections: [postsDefinition('posts', 'pbc_posts_test'), postsDefinition('ranked', 'pbc_ranked_test')],
    });
    pb = client(server.url);
  });

  afterAll(async () => {
    await server?.stop();
  });

  /** Reads a row straight from data.db (WAL mode lets a second reader in while the server runs). */
  function storedRow(table: string, id: string): Record<string, unknown> | undefined {
    const file = join(server.dataDir, 'data.db');
    expect(existsSync(file)).toBe(true);
    const db = new Sqlite(file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(`SELECT * FROM "${table}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
    } finally {
      db.close();
    }
  }

  it('create returns the record in PocketBase shape and stores it', async () => {
    const record = await pb.collection('posts').create({ title: 'Hello', views: 3, tags: ['a', 'b'] });

    expect(Object.keys(record)).toEqual([...LEADING_KEYS, 'title', 'views', 'tags']);
    expect(record.id).toMatch(RECORD_ID);
    expect(record.collectionId).toBe('pbc_posts_test');
    expect(record.collectionName).toBe('posts');
    expect(record.created).toMatch(DATETIME);
    expect(record.updated).toMatch(DATETIME);
    expect(record.updated).toBe(record.created);
    expect(Math.abs(Date.parse(record.created.replace(' ', 'T')) - Date.now())).toBeLessThan(60_000);
    expect(record).toMatchObject({ title: 'Hello', views: 3, tags: ['a', 'b'] });

    // Stored as sent, in the collection's own table.
    const row = storedRow('posts', record.id);
    expect(row).toBeDefined();
    expect(row!.title).toBe('Hello');
    expect(row!.views).toBe(3);
    expect(JSON.parse(String(row!.tags))).toEqual(['a', 'b']);
    expect(row!.created).toBe(record.created);

    // And read back identically.
    const fetched = await pb.collection('posts').getOne(record.id);
    expect(fetched).toEqual(record);
  });

  it('create fills defaults for fields left out, and ignores unknown keys and a client-set created', async () => {
    const record = await pb
      .collection('posts')
      .create({ title: 'Bare', nonsense: 'x', created: '2000-01-01 00:00:00.000Z' });
    expect(record).toMatchObject({ title: 'Bare', views: 0, tags: [] });
    expect(record).not.toHaveProperty('nonsense');
    expect(record.created.startsWith('2000-')).toBe(false);
  });

  it('create accepts a client-chosen 15-character id', async () => {
    const record = await pb.collection('posts').create({ id: 'customid0000001', title: 'Chosen id' });
    expect(record.id).toBe('customid0000001');
    expect((await pb.collection('posts').getOne('customid0000001')).title).toBe('Chosen id');

    const taken = await responseError(pb.collection('posts').create({ id: 'customid0000001', title: 'Again' }));
    expect(taken.status).toBe(400);
    expect(taken.response.data.id.code).toBe('validation_not_unique');
    expect((await pb.collection('posts').getOne('customid0000001')).title).toBe('Chosen id');
  });

  it('getOne of an unknown id is a 404 in PocketBase error shape', async () => {
    const err = await responseError(pb.collection('posts').getOne('doesnotexist123'));
    expect(err.status).toBe(404);
    expect(err.response).toMatchObject({ status: 404, data: {} });
    expect(typeof err.response.message).toBe('string');
  });

  it('an unknown collection is a 404', async () => {
    const err = await responseError(pb.collection('nosuchcollection').getList(1, 10));
    expect(err.status).toBe(404);
    const err2 = await responseError(pb.collection('nosuchcollection').create({ title: 'x' }));
    expect(err2.status).toBe(404);
  });

  it('a missing required field is a 400 with validation_required, and nothing is stored', async () => {
    const before = await pb.collection('posts').getList(1, 1);
    const err = await responseError(pb.collection('posts').create({ views: 1 }));
    expect(err.status).toBe(400);
    expect(err.response.status).toBe(400);
    expect(err.response.data.title.code).toBe('validation_required');
    expect(typeof err.response.data.title.message).toBe('string');
    const after = await pb.collection('posts').getList(1, 1);
    expect(after.totalItems).toBe(before.totalItems);
  });

  it('field constraints are enforced with their codes', async () => {
    const tooLong = await responseError(pb.collection('posts').create({ title: 'x'.repeat(101) }));
    expect(tooLong.status).toBe(400);
    expect(tooLong.response.data.title.code).toBe('validation_max_text_constraint');

    // Exactly at the limit is fine.
    const atLimit = await pb.collection('posts').create({ title: 'y'.repeat(100) });
    expect(atLimit.title).toHaveLength(100);

    const badTag = await responseError(pb.collection('posts').create({ title: 'Tagged', tags: ['a', 'z'] }));
    expect(badTag.status).toBe(400);
    expect(badTag.response.data.tags.code).toBe('validation_in_invalid');
    expect(badTag.response.data).not.toHaveProperty('title');

    const notNumber = await responseError(pb.collection('posts').create({ title: 'Counted', views: 'many' }));
    expect(notNumber.status).toBe(400);
    expect(notNumber.response.data.views.code).toBe('validation_not_a_number');
  });

  it('update changes the field, keeps the rest, and moves `updated` forward', async () => {
    const original = await pb.collection('posts').create({ title: 'Before', views: 10, tags: ['c'] });
    await sleep(20);
    const updated = await pb.collection('posts').update(original.id, { title: 'After' });

    expect(updated.id).toBe(original.id);
    expect(updated.title).toBe('After');
    expect(updated.views).toBe(10);
    expect(updated.tags).toEqual(['c']);
    expect(updated.created).toBe(original.created);
    expect(updated.updated).toMatch(DATETIME);
    expect(updated.updated > original.updated).toBe(true);

    const fetched = await pb.collection('posts').getOne(original.id);
    expect(fetched).toEqual(updated);
  });

  it('update validates too and leaves the record unchanged on failure', async () => {
    const original = await pb.collection('posts').create({ title: 'Keep me' });
    const err = await responseError(pb.collection('posts').update(original.id, { title: '' }));
    expect(err.status).toBe(400);
    expect(err.response.data.title.code).toBe('validation_required');
    expect(await pb.collection('posts').getOne(original.id)).toEqual(original);
  });

  it('update of an unknown id is a 404', async () => {
    const err = await responseError(pb.collection('posts').update('doesnotexist123', { title: 'x' }));
    expect(err.status).toBe(404);
  });

  it('`views+`, `views-` and `tags+` modifiers apply to the stored value', async () => {
    const record = await pb.collection('posts').create({ title: 'Counter', views: 3, tags: ['a'] });
    const plus = await pb.collection('posts').update(record.id, { 'views+': 2 });
    expect(plus.views).toBe(5);
    const minus = await pb.collection('posts').update(record.id, { 'views-': 1, 'tags+': 'c' });
    expect(minus.views).toBe(4);
    expect(minus.tags).toEqual(['a', 'c']);
    const fetched = await pb.collection('posts').getOne(record.id);
    expect(fetched.views).toBe(4);
    expect(fetched.tags).toEqual(['a', 'c']);
  });

  it('delete removes the record: getOne then rejects with 404', async () => {
    const record = await pb.collection('posts').create({ title: 'Doomed' });
    await expect(pb.collection('posts').delete(record.id)).resolves.toBe(true);

    const err = await responseError(pb.collection('posts').getOne(record.id));
    expect(err.status).toBe(404);
    expect(storedRow('posts', record.id)).toBeUndefined();

    const again = await responseError(pb.collection('posts').delete(record.id));
    expect(again.status).toBe(404);
  });

  it('the fields option projects records to the listed keys', async () => {
    const record = await pb.collection('posts').create({ title: 'Projected', views: 9 });
    const one = await pb.collection('posts').getOne(record.id, { fields: 'id,title' });
    expect(one).toEqual({ id: record.id, title: 'Projected' });

    const list = await pb.collection('posts').getList(1, 5, { fields: 'id,views' });
    expect(list.perPage).toBe(5);
    expect(list.items.length).toBeGreaterThan(0);
    for (const item of list.items) expect(Object.keys(item).sort()).toEqual(['id', 'views']);

    // Projection also applies to the record returned by create.
    const created = await pb.collection('posts').create({ title: 'Lean' }, { fields: 'title' });
    expect(created).toEqual({ title: 'Lean' });
  });

  it('multipart: the SDK sends a body holding a Blob as form data with @jsonPayload', async () => {
    // `tags` (a list) travels in @jsonPayload, `title`/`views` as plain parts, `attachment` as a file part.
    const record = await pb.collection('posts').create({
      title: 'From a form',
      views: 7,
      tags: ['b', 'c'],
      attachment: new Blob(['not a field of posts'], { type: 'text/plain' }),
    });
    expect(record).toMatchObject({ title: 'From a form', views: 7, tags: ['b', 'c'] });
    expect(record).not.toHaveProperty('attachment');
    expect(await pb.collection('posts').getOne(record.id)).toEqual(record);
  });

  it('multipart: a hand-built FormData, where @jsonPayload wins over plain parts', async () => {
    const form = new FormData();
    form.append('title', 'plain part');
    form.append('views', '12');
    form.append('@jsonPayload', JSON.stringify({ title: 'json payload', tags: ['a'] }));
    const record = await pb.collection('posts').create(form);
    expect(record).toMatchObject({ title: 'json payload', views: 12, tags: ['a'] });

    const patch = new FormData();
    patch.append('views+', '3');
    const updated = await pb.collection('posts').update(record.id, patch);
    expect(updated.views).toBe(15);
  });

  it('multipart: validation errors are reported the same way', async () => {
    const form = new FormData();
    form.append('views', '1');
    const err = await responseError(pb.collection('posts').create(form));
    expect(err.status).toBe(400);
    expect(err.response.data.title.code).toBe('validation_required');
  });

  it('a malformed JSON body is a 400', async () => {
    const res = await fetch(`${server.url}/api/collections/posts/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 400, data: {} });
  });

  describe('listing', () => {
    // Created in an order that is neither sorted nor reverse-sorted.
    const titles = ['delta', 'alpha', 'echo', 'charlie', 'bravo'];
    const ids = new Map<string, string>();

    beforeAll(async () => {
      for (const [i, title] of titles.entries()) {
        const record = await pb.collection('ranked').create({ title, views: i * 10 });
        ids.set(title, record.id);
      }
    });

    it('getList pages with sort -title', async () => {
      const page1 = await pb.collection('ranked').getList(1, 2, { sort: '-title' });
      expect(page1).toMatchObject({ page: 1, perPage: 2, totalItems: 5, totalPages: 3 });
      expect(page1.items.map((r) => r.title)).toEqual(['echo', 'delta']);
      expect(page1.items[0]!.id).toBe(ids.get('echo'));
      expect(Object.keys(page1.items[0]!)).toEqual([...LEADING_KEYS, 'title', 'views', 'tags']);
      expect(page1.items[0]!.collectionName).toBe('ranked');

      const page2 = await pb.collection('ranked').getList(2, 2, { sort: '-title' });
      expect(page2).toMatchObject({ page: 2, perPage: 2, totalItems: 5, totalPages: 3 });
      expect(page2.items.map((r) => r.title)).toEqual(['charlie', 'bravo']);

      const page3 = await pb.collection('ranked').getList(3, 2, { sort: '-title' });
      expect(page3.items.map((r) => r.title)).toEqual(['alpha']);

      const beyond = await pb.collection('ranked').getList(4, 2, { sort: '-title' });
      expect(beyond).toMatchObject({ page: 4, totalItems: 5, totalPages: 3, items: [] });
    });

    it('sorts by several keys and by number', async () => {
      const byViews = await pb.collection('ranked').getList(1, 5, { sort: '-views' });
      expect(byViews.items.map((r) => r.title)).toEqual([...titles].reverse());
      const byCreated = await pb.collection('ranked').getList(1, 5, { sort: 'created,title' });
      expect(byCreated.items.map((r) => r.id)).toEqual(titles.map((t) => ids.get(t)));
    });

    it('@random returns every record', async () => {
      const list = await pb.collection('ranked').getList(1, 10, { sort: '@random' });
      expect(list.totalItems).toBe(5);
      expect(list.items.map((r) => r.title).sort()).toEqual([...titles].sort());
    });

    it('skipTotal answers -1 for totalItems and totalPages but still pages', async () => {
      const list = await pb.collection('ranked').getList(1, 2, { sort: 'title', skipTotal: true });
      expect(list).toMatchObject({ page: 1, perPage: 2, totalItems: -1, totalPages: -1 });
      expect(list.items.map((r) => r.title)).toEqual(['alpha', 'bravo']);
    });

    it('getFullList with batch 2 fetches every record, in order, over several pages', async () => {
      // beforeSend sees each request before its query is serialized into the URL.
      const requested: unknown[] = [];
      const counting = client(server.url);
      counting.beforeSend = (url, options) => {
        requested.push(options.query?.perPage);
        return { url, options };
      };
      const all: RecordModel[] = await counting.collection('ranked').getFullList({ batch: 2, sort: 'title' });
      expect(all.map((r) => r.title)).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo']);
      expect(new Set(all.map((r) => r.id)).size).toBe(5);
      // 2 + 2 + 1: the SDK stops at the first short page.
      expect(requested).toHaveLength(3);
      expect(requested).toEqual([2, 2, 2]);
    });

    it('perPage defaults to 30 and is capped at 1000', async () => {
      type Envelope = { page: number; perPage: number; items: unknown[] };
      const plain = (await (await fetch(`${server.url}/api/collections/ranked/records`)).json()) as Envelope;
      expect(plain).toMatchObject({ page: 1, perPage: 30, totalItems: 5, totalPages: 1 });
      expect(plain.items).toHaveLength(5);

      const capped = (await (
        await fetch(`${server.url}/api/collections/ranked/records?perPage=5000`)
      ).json()) as Envelope;
      expect(capped.perPage).toBe(1000);
    });

    it('an unknown sort field and a filter that does not parse are 400s', async () => {
      const badSort = await responseError(pb.collection('ranked').getList(1, 2, { sort: 'nosuchfield' }));
      expect(badSort.status).toBe(400);
      const badFilter = await responseError(pb.collection('ranked').getList(1, 2, { filter: 'title = (' }));
      expect(badFilter.status).toBe(400);
    });

    it('filters with pb.filter() parameters: getFirstListItem and getFullList', async () => {
      const quoted = pb.filter('title = {:t} && views >= {:v}', { t: titles[1]!, v: 10 });
      const first = await pb.collection('ranked').getFirstListItem(quoted);
      expect(first.title).toBe(titles[1]);
      const some = await pb
        .collection('ranked')
        .getFullList({ filter: pb.filter('views < {:v}', { v: 25 }), sort: 'views' });
      expect(some.map((r) => r.views)).toEqual([0, 10, 20]);
      const none = await responseError(
        pb.collection('ranked').getFirstListItem(pb.filter('title = {:t}', { t: 'n"o\\pe' })),
      );
      expect(none.status).toBe(404);
    });
  });
});

describe('restarting on the same data directory', () => {
  it('serves a collection added while stopped and keeps the old records', async () => {
    const dataDir = makeTempDir('satchel-data-');
    const collectionsDir = makeTempDir('satchel-collections-');
    writeCollection(collectionsDir, postsDefinition('posts', 'pbc_posts_restart'));

    const first = await startServer({ dataDir, collectionsDir });
    const pb1 = client(first.url);
    const kept = await pb1.collection('posts').create({ title: 'Survivor', views: 42, tags: ['b'] });
    await pb1.collection('posts').create({ title: 'Second' });
    // notes is not served yet.
    expect((await responseError(pb1.collection('notes').getList(1, 1))).status).toBe(404);
    const firstExit = await first.stop('SIGTERM');
    expect(firstExit.timedOut).toBe(false);
    expect(firstExit.code).toBe(0);

    writeCollection(collectionsDir, {
      name: 'notes',
      listRule: '',
      viewRule: '',
      createRule: '',
      updateRule: '',
      deleteRule: '',
      fields: [{ name: 'body', type: 'text' }],
    });

    const second = await startServer({ dataDir, collectionsDir });
    try {
      expect(second.output()).toContain('created collection "notes"');
      const pb2 = client(second.url);

      const notes = await pb2.collection('notes').getList(1, 10);
      expect(notes).toMatchObject({ page: 1, perPage: 10, totalItems: 0, totalPages: 0, items: [] });
      const note = await pb2.collection('notes').create({ body: 'written after the restart' });
      expect(note.collectionName).toBe('notes');
      expect((await pb2.collection('notes').getOne(note.id)).body).toBe('written after the restart');

      expect(await pb2.collection('posts').getOne(kept.id)).toEqual(kept);
      const posts = await pb2.collection('posts').getFullList({ sort: 'title' });
      expect(posts.map((p) => p.title)).toEqual(['Second', 'Survivor']);
    } finally {
      await second.stop();
    }
  });
});
