// The API on PostgreSQL, driven by the official SDK against a real server: what a user of `--db=postgres://...`
// notices, in one file of the normal suite (the whole API suite runs on PostgreSQL with SATCHEL_TEST_DB=postgres).
import PocketBase, { ClientResponseError } from 'pocketbase';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { OPEN_RULES } from '../helpers/temp-app.js';

describePostgres('the API on PostgreSQL through the SDK', () => {
  let db: string;
  let s: SdkApp;
  let guest: PocketBase;

  beforeAll(async () => {
    db = await freshDatabase();
    s = await sdkApp(
      [
        {
          name: 'users',
          type: 'auth',
          ...OPEN_RULES,
          listRule: 'id = @request.auth.id',
          viewRule: 'id = @request.auth.id',
          fields: [{ name: 'name', type: 'text' }],
        },
        {
          name: 'tags',
          ...OPEN_RULES,
          fields: [{ name: 'label', type: 'text', required: true }],
          indexes: ['CREATE UNIQUE INDEX `idx_tags_label` ON `tags` (`label`)'],
        },
        {
          name: 'posts',
          ...OPEN_RULES,
          fields: [
            { name: 'title', type: 'text', required: true },
            { name: 'views', type: 'number' },
            { name: 'draft', type: 'bool' },
            { name: 'meta', type: 'json' },
            { name: 'author', type: 'relation', collectionId: 'users', maxSelect: 1 },
            { name: 'tags', type: 'relation', collectionId: 'tags', maxSelect: 5 },
          ],
        },
      ],
      { db, rateLimit: false },
    );
    guest = new PocketBase(s.server.url).autoCancellation(false);
  });
  afterAll(() => s?.cleanup());

  it('keeps the records in the PostgreSQL database', async () => {
    await s.pb.collection('tags').create({ label: 'stored-in-postgres' });
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      const { rows } = await client.query('SELECT label FROM tags');
      expect(rows.map((r: { label: string }) => r.label)).toContain('stored-in-postgres');
    } finally {
      await client.end();
    }
  });

  it('creates, lists with a filter and a sort, views, updates and deletes', async () => {
    const made = [];
    for (const [title, views, draft] of [
      ['banana', 3, false],
      ['Apple', 10, false],
      ['cherry', 1, true],
      ['date', 7, false],
    ] as const) {
      made.push(await guest.collection('posts').create({ title, views, draft, meta: { n: views } }));
    }
    expect(made[0]).toMatchObject({ title: 'banana', views: 3, draft: false, meta: { n: 3 }, tags: [], author: '' });
    const list = await guest
      .collection('posts')
      .getList(1, 10, { filter: 'views > 2 && draft = false', sort: '-views' });
    expect(list.items.map((p) => p.title)).toEqual(['Apple', 'date', 'banana']);
    expect(list.totalItems).toBe(3);
    // `~` ignores case, as on SQLite; text sorts byte-wise (upper case first), as on SQLite.
    expect((await guest.collection('posts').getFullList({ filter: 'title ~ "APP"' })).map((p) => p.title)).toEqual([
      'Apple',
    ]);
    expect((await guest.collection('posts').getFullList({ sort: 'title' })).map((p) => p.title)).toEqual([
      'Apple',
      'banana',
      'cherry',
      'date',
    ]);
    expect((await guest.collection('posts').getFullList({ filter: 'meta.n = 7' })).map((p) => p.title)).toEqual([
      'date',
    ]);
    const viewed = await guest.collection('posts').getOne(made[2]!.id);
    expect(viewed).toMatchObject({ title: 'cherry', draft: true });
    const updated = await guest.collection('posts').update(made[2]!.id, { 'views+': 4, draft: false });
    expect(updated).toMatchObject({ views: 5, draft: false });
    await guest.collection('posts').delete(made[2]!.id);
    const gone = await guest
      .collection('posts')
      .getOne(made[2]!.id)
      .catch((e: unknown) => e);
    expect((gone as ClientResponseError).status).toBe(404);
  });

  it('answers a taken unique value with a field error', async () => {
    await guest.collection('tags').create({ label: 'twice' });
    const err = await guest
      .collection('tags')
      .create({ label: 'twice' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClientResponseError);
    expect((err as ClientResponseError).status).toBe(400);
    expect((err as ClientResponseError).response.data).toMatchObject({ label: { code: 'validation_not_unique' } });
  });

  it('signs up and signs in with a password, and the auth rules see who asks', async () => {
    await guest.collection('users').create({
      email: 'Ann@Example.com',
      password: 'password-123',
      passwordConfirm: 'password-123',
      name: 'Ann',
    });
    const taken = await guest
      .collection('users')
      .create({ email: 'ann@example.COM', password: 'password-123', passwordConfirm: 'password-123' })
      .catch((e: unknown) => e);
    expect((taken as ClientResponseError).status).toBe(400);
    const ann = new PocketBase(s.server.url).autoCancellation(false);
    const auth = await ann.collection('users').authWithPassword('ann@example.com', 'password-123');
    expect(auth.record).toMatchObject({ name: 'Ann', email: 'Ann@Example.com' });
    const wrong = await guest
      .collection('users')
      .authWithPassword('ann@example.com', 'wrong-password')
      .catch((e: unknown) => e);
    expect((wrong as ClientResponseError).status).toBe(400);
    expect((await ann.collection('users').getFullList()).map((u) => u.name)).toEqual(['Ann']);
    expect(await guest.collection('users').getFullList()).toEqual([]);
  });

  it('expands relations and filters through a multi-value relation', async () => {
    const user = await s.pb.collection('users').create({
      email: 'bob@example.com',
      password: 'password-123',
      passwordConfirm: 'password-123',
      name: 'Bob',
    });
    const red = await guest.collection('tags').create({ label: 'red' });
    const blue = await guest.collection('tags').create({ label: 'blue' });
    await guest.collection('posts').create({ title: 'tagged', author: user.id, tags: [red.id, blue.id] });
    await guest.collection('posts').create({ title: 'blue only', tags: [blue.id] });
    const found = await s.pb.collection('posts').getFullList({ filter: 'tags.label ?= "red"', expand: 'author,tags' });
    expect(found.map((p) => p.title)).toEqual(['tagged']);
    expect(found[0]!.expand).toMatchObject({ author: { name: 'Bob' } });
    expect((found[0]!.expand!.tags as { label: string }[]).map((t) => t.label)).toEqual(['red', 'blue']);
    const allBlue = await guest.collection('posts').getFullList({ filter: 'tags.label = "blue"', sort: 'title' });
    expect(allBlue.map((p) => p.title)).toEqual(['blue only']);
    expect((await guest.collection('posts').getFullList({ filter: 'tags:length = 2' })).map((p) => p.title)).toEqual([
      'tagged',
    ]);
  });

  it('changes the schema through the collections API, keeping the data', async () => {
    const notes = await s.pb.collections.create({
      name: 'notes',
      type: 'base',
      ...OPEN_RULES,
      fields: [
        { name: 'text', type: 'text' },
        { name: 'amount', type: 'text' },
      ],
    });
    const note = await guest.collection('notes').create({ text: 'kept', amount: '42' });
    const fields = notes.fields.map((f) =>
      f.name === 'amount' ? { ...f, type: 'number' } : f.name === 'text' ? { ...f, name: 'body' } : f,
    );
    await s.pb.collections.update('notes', { fields: [...fields, { name: 'done', type: 'bool' }] });
    expect(await guest.collection('notes').getOne(note.id)).toMatchObject({ body: 'kept', amount: 42, done: false });
    expect((await guest.collection('notes').getFullList({ filter: 'amount >= 40' })).length).toBe(1);
  });

  it('says backups of the data directory do not apply, instead of failing', async () => {
    expect(await s.pb.health.check()).toMatchObject({ code: 200, data: { canBackup: false } });
    const err = await s.pb.backups.create('x.zip').catch((e: unknown) => e);
    expect((err as ClientResponseError).status).toBe(400);
    expect((err as ClientResponseError).message).toMatch(/PostgreSQL/);
  });
});
