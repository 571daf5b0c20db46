// The cluster as a user runs it (issue #18): two `satchel serve --db=postgres://...` processes on one PostgreSQL
// database, each with its own data and collections directories (nothing shared through the disk), behind a loopback
// proxy that sends each request to the next process in turn. The official SDK talks to the proxy only; the proxy's
// `served` list says which process answered each request, so every assertion below knows it crossed processes.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import PocketBase, { ClientResponseError, type RecordModel } from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { S3Storage } from '../../src/core/files/s3-storage.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { eventually } from '../helpers/eventually.js';
import { roundRobinProxy, type RoundRobinProxy } from '../helpers/round-robin-proxy.js';
import { startBuckets, type TestBuckets } from '../helpers/s3rver.js';
import { cleanup, runCli, startServer, type TestServer } from './helpers/server.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

const ADMIN = { email: 'admin@example.com', password: 'cluster-password-1' };

const posts = {
  name: 'posts',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [
    { name: 'title', type: 'text', required: true },
    { name: 'attachment', type: 'file', maxSelect: 1, maxSize: 1_000_000 },
  ],
  indexes: ['CREATE UNIQUE INDEX `idx_posts_title` ON `posts` (`title`)'],
};

// Anyone may write a note; only public ones are listed, viewed, and heard in realtime.
const notes = {
  name: 'notes',
  listRule: 'public = true',
  viewRule: 'public = true',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [
    { name: 'text', type: 'text' },
    { name: 'public', type: 'bool' },
    { name: 'secret', type: 'file', maxSelect: 1, protected: true },
  ],
};

// Signed-up users, and messages each owner alone may see (in lists, views and realtime).
const users = {
  name: 'users',
  type: 'auth',
  listRule: 'id = @request.auth.id',
  viewRule: 'id = @request.auth.id',
  createRule: '',
  updateRule: 'id = @request.auth.id',
  deleteRule: 'id = @request.auth.id',
  fields: [{ name: 'name', type: 'text' }],
};

const messages = {
  name: 'messages',
  listRule: 'owner = @request.auth.id',
  viewRule: 'owner = @request.auth.id',
  createRule: '',
  fields: [
    { name: 'text', type: 'text' },
    { name: 'owner', type: 'relation', collectionId: 'users', maxSelect: 1 },
  ],
};

let servers: TestServer[] = [];
let proxy: RoundRobinProxy;
let buckets: TestBuckets;
/** An SDK client per process, straight to it (for "the other process" once the proxy chose one). */
let direct: PocketBase[] = [];
const realtimeClients: PocketBase[] = [];

/** Runs `fn` and answers which process served each request it made through the proxy. */
async function through<T>(fn: () => Promise<T>): Promise<{ result: T; served: number[] }> {
  const mark = proxy.served.length;
  const result = await fn();
  return { result, served: proxy.served.slice(mark) };
}

/** The error an SDK call rejects with (fails the test when it resolves). */
async function failure(call: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof ClientResponseError) return err;
    throw err;
  }
  throw new Error('the request was expected to fail');
}

const viaProxy = () => new PocketBase(proxy.url).autoCancellation(false);

async function admin(): Promise<PocketBase> {
  const pb = viaProxy();
  await pb.collection('_superusers').authWithPassword(ADMIN.email, ADMIN.password);
  return pb;
}

describePostgres('two satchel processes on one PostgreSQL behind a round-robin proxy', () => {
  beforeAll(async () => {
    const db = await freshDatabase('cluster_e2e');
    buckets = await startBuckets('cluster-files');
    const start = () =>
      startServer({
        collections: [posts, notes, users, messages],
        args: ({ port, dataDir, collectionsDir }) => [
          'serve',
          `--http=127.0.0.1:${port}`,
          `--dir=${dataDir}`,
          `--collections=${collectionsDir}`,
          `--db=${db}`,
          '--rate-limit=off',
        ],
      });
    // Started at the same moment: their schema syncs meet on the cluster lock.
    servers = await Promise.all([start(), start()]);
    const [a] = servers as [TestServer, TestServer];
    const created = await runCli([
      'superuser',
      'upsert',
      ADMIN.email,
      ADMIN.password,
      `--db=${db}`,
      `--dir=${a.dataDir}`,
      `--collections=${a.collectionsDir}`,
    ]);
    expect(created.code, created.stderr).toBe(0);
    proxy = await roundRobinProxy(servers.map((s) => s.url));
    direct = servers.map((s) => new PocketBase(s.url).autoCancellation(false));
  });

  afterAll(async () => {
    for (const pb of realtimeClients) await pb.realtime.unsubscribe().catch(() => undefined);
    await proxy?.close();
    const stopped = await Promise.all(servers.map((s) => s.stop()));
    await buckets?.close();
    await cleanup();
    for (const exit of stopped) expect(exit.code, exit.output).toBe(0);
  });

  it('both processes created the collections from their own files, and neither keeps a database file', () => {
    for (const server of servers) {
      expect(existsSync(join(server.dataDir, 'data.db'))).toBe(false);
    }
    // Exactly one of them created the tables; the other found them there (its sync ran after, under the lock).
    const creators = servers.filter((s) => s.output().includes('created collection "posts"'));
    expect(creators, servers.map((s) => s.output()).join('\n---\n')).toHaveLength(1);
  });

  it('the proxy alternates, and a superuser signed in through one process is honoured by the other', async () => {
    const pb = viaProxy();
    const signIn = await through(() => pb.collection('_superusers').authWithPassword(ADMIN.email, ADMIN.password));
    expect(signIn.served).toHaveLength(1);
    const first = signIn.served[0]!;

    // The token the first process signed is accepted by the second (the token key lives in the database).
    const second = await through(() =>
      pb.collection('_superusers').create({
        email: 'second@example.com',
        password: 'second-password-1',
        passwordConfirm: 'second-password-1',
      }),
    );
    expect(second.served).toEqual([1 - first]);

    // The superuser created on the second process signs in on the first; its token works back on the second.
    const other = viaProxy();
    const otherSignIn = await through(() =>
      other.collection('_superusers').authWithPassword('second@example.com', 'second-password-1'),
    );
    expect(otherSignIn.served).toEqual([first]);
    const listed = await through(() => other.collection('_superusers').getFullList({ sort: 'email' }));
    expect(listed.served).toEqual([1 - first]);
    expect(listed.result.map((r) => r.email)).toEqual([ADMIN.email, 'second@example.com']);

    // A refresh on either process, a wrong password refused by either.
    const refreshed = await through(() => other.collection('_superusers').authRefresh());
    expect(refreshed.served).toEqual([first]);
    for (let i = 0; i < 2; i++) {
      const refused = await failure(viaProxy().collection('_superusers').authWithPassword(ADMIN.email, 'wrong'));
      expect(refused.status).toBe(400);
    }
    expect(proxy.served.slice(-2).sort()).toEqual([0, 1]);
  });

  it('a record written through one process is read, updated and deleted through the other', async () => {
    const pb = viaProxy();
    const created = await through(() => pb.collection('posts').create({ title: 'written on one' }));
    const [writer] = created.served;
    const read = await through(() => pb.collection('posts').getOne(created.result.id));
    expect(read.served).toEqual([1 - writer!]);
    expect(read.result).toMatchObject({ id: created.result.id, title: 'written on one' });

    const updated = await through(() => pb.collection('posts').update(created.result.id, { title: 'changed on two' }));
    expect(updated.served).toEqual([writer]);
    const listed = await through(() => pb.collection('posts').getList(1, 10, { filter: 'title ~ "two"' }));
    expect(listed.served).toEqual([1 - writer!]);
    expect(listed.result.items.map((r) => r.id)).toEqual([created.result.id]);

    await pb.collection('posts').delete(created.result.id);
    // Gone for both processes.
    for (let i = 0; i < 2; i++)
      expect((await failure(pb.collection('posts').getOne(created.result.id))).status).toBe(404);
    expect(proxy.served.slice(-2).sort()).toEqual([0, 1]);
  });

  it('a unique violation answers the same 400 from both processes', async () => {
    const pb = viaProxy();
    await pb.collection('posts').create({ title: 'only once' });
    const errors: { served: number; status: number; body: unknown }[] = [];
    for (let i = 0; i < 2; i++) {
      const { result, served } = await through(() => failure(pb.collection('posts').create({ title: 'only once' })));
      errors.push({ served: served[0]!, status: result.status, body: result.response });
    }
    expect(errors.map((e) => e.served).sort()).toEqual([0, 1]);
    for (const e of errors) {
      expect(e.status).toBe(400);
      expect(e.body).toMatchObject({ status: 400, data: { title: { code: 'validation_not_unique' } } });
    }
    expect(errors[0]!.body).toEqual(errors[1]!.body);
    expect((await direct[0]!.collection('posts').getFullList({ filter: 'title = "only once"' })).length).toBe(1);
  });

  it('a collection created through the collections API on one process is usable on the other', async () => {
    const pb = await admin();
    const created = await through(() =>
      pb.collections.create({
        name: 'tasks',
        type: 'base',
        listRule: '',
        viewRule: '',
        createRule: '',
        fields: [{ name: 'label', type: 'text', required: true }],
      }),
    );
    const [maker] = created.served;
    const other = direct[1 - maker!]!;
    // At once, before its notice may have arrived: a collection unknown there makes it read the stored schema.
    const record = await other.collection('tasks').create({ label: 'made on the other process' });
    expect((await direct[maker!]!.collection('tasks').getOne(record.id)).label).toBe('made on the other process');
    // Its collection file follows on the other process too.
    expect(existsSync(join(servers[1 - maker!]!.collectionsDir, 'tasks.json'))).toBe(true);
    // And a rule that refuses, refused by both.
    const refused = await failure(viaProxy().collection('tasks').create({}));
    expect(refused.status).toBe(400);
  });

  it('a realtime subscriber connected through the proxy hears what the other process commits, rules applied', async () => {
    const guest = viaProxy();
    realtimeClients.push(guest);
    const heard: { action: string; record: RecordModel }[] = [];
    const subscribed = await through(() => guest.collection('notes').subscribe('*', (e) => heard.push(e)));
    // The stream (GET /api/realtime) landed on one process; the subscription (POST) was the next request, so it
    // reached the other process, which passed it to the stream's.
    const [streamOn, postedTo] = subscribed.served;
    expect(subscribed.served).toHaveLength(2);
    expect(postedTo).toBe(1 - streamOn!);
    const writer = direct[1 - streamOn!]!;

    // A superuser's subscription through the proxy is bound to the superuser on the stream's process: it hears
    // the private note the guest never does.
    const watcher = await admin();
    realtimeClients.push(watcher);
    const watched: string[] = [];
    await watcher.collection('notes').subscribe('*', (e) => watched.push(e.record.text));

    // A note the guest may not see is never delivered; the public one after it is.
    await writer.collection('notes').create({ text: 'private', public: false });
    const visible = await writer.collection('notes').create({ text: 'public', public: true });
    await eventually(() => heard.length >= 1, 'the subscriber hears the public note');
    await writer.collection('notes').update(visible.id, { text: 'public, edited' });
    await writer.collection('notes').delete(visible.id);
    await eventually(() => heard.length >= 3, 'the subscriber hears the update and the delete');
    expect(heard.map((e) => [e.action, e.record.text])).toEqual([
      ['create', 'public'],
      ['update', 'public, edited'],
      ['delete', 'public, edited'],
    ]);
    await eventually(() => watched.length >= 4, 'the superuser hears every change');
    expect(watched).toEqual(['private', 'public', 'public, edited', 'public, edited']);
  });

  it('a user signed up and in through the proxy hears, through either process, their own messages only', async () => {
    const signUp = await through(() =>
      viaProxy()
        .collection('users')
        .create({ email: 'ann@example.com', password: 'ann-password-1', passwordConfirm: 'ann-password-1' }),
    );
    const ann = viaProxy();
    const signIn = await through(() => ann.collection('users').authWithPassword('ann@example.com', 'ann-password-1'));
    expect(signIn.served).toEqual([1 - signUp.served[0]!]);
    const bob = await viaProxy()
      .collection('users')
      .create({ email: 'bob@example.com', password: 'bob-password-1', passwordConfirm: 'bob-password-1' });
    realtimeClients.push(ann);
    const heard: string[] = [];
    const subscribed = await through(() => ann.collection('messages').subscribe('*', (e) => heard.push(e.record.text)));
    expect(subscribed.served).toHaveLength(2);
    expect(subscribed.served[1]).toBe(1 - subscribed.served[0]!);

    // Written through the process that does not hold Ann's stream.
    const writer = direct[1 - subscribed.served[0]!]!;
    await writer.collection('messages').create({ text: 'for bob', owner: bob.id });
    await writer.collection('messages').create({ text: 'for ann', owner: signUp.result.id });
    await eventually(() => heard.length >= 1, 'Ann hears her message');
    expect(heard).toEqual(['for ann']);
    // Her lists through both processes agree.
    for (let i = 0; i < 2; i++) {
      expect((await ann.collection('messages').getFullList()).map((m) => m.text)).toEqual(['for ann']);
    }
    expect(proxy.served.slice(-2).sort()).toEqual([0, 1]);
  });

  it('a subscription request for a client no process holds, or from another sign-in, is refused by either', async () => {
    const unknown = 'x'.repeat(40);
    for (let i = 0; i < 2; i++) {
      const { result, served } = await through(() =>
        failure(viaProxy().send('/api/realtime', { method: 'POST', body: { clientId: unknown, subscriptions: [] } })),
      );
      expect(served).toHaveLength(1);
      expect(result.status).toBe(404);
      expect(result.message).toBe('Missing or invalid client id.');
    }

    // A client bound to the superuser is refused to another superuser, whichever process the request reaches.
    const first = await admin();
    realtimeClients.push(first);
    await first.collection('notes').subscribe('*', () => undefined);
    const clientId = first.realtime.clientId;
    const second = viaProxy();
    await second.collection('_superusers').authWithPassword('second@example.com', 'second-password-1');
    const answers: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { result, served } = await through(() =>
        failure(second.send('/api/realtime', { method: 'POST', body: { clientId, subscriptions: ['notes'] } })),
      );
      answers.push(served[0]!);
      expect(result.status).toBe(403);
    }
    expect(answers.sort()).toEqual([0, 1]);
  });

  it('a rule changed through one process is enforced by the other', async () => {
    const pb = await admin();
    const changed = await through(() => pb.collections.update('tasks', { createRule: null }));
    const other = direct[1 - changed.served[0]!]!;
    // Superusers only, now: a guest's create is refused by the other process too, once it has read the change
    // (the polls that came before it may still have been let in).
    await eventually(
      () =>
        other
          .collection('tasks')
          .create({ label: 'poll' })
          .then(
            () => false,
            (err: ClientResponseError) => err.status === 403,
          ),
      'the other process refuses a guest create',
    );
    expect((await failure(other.collection('tasks').create({ label: 'guest' }))).status).toBe(403);
    const refused = await failure(direct[changed.served[0]!]!.collection('tasks').create({ label: 'guest' }));
    expect(refused.status).toBe(403);
    expect(await pb.collection('tasks').getFullList({ filter: 'label = "guest"' })).toEqual([]);
  });

  it('a password changed through one process ends the old sessions on both', async () => {
    const pb = await admin();
    const user = await pb
      .collection('_superusers')
      .create({ email: 'third@example.com', password: 'third-password-1', passwordConfirm: 'third-password-1' });
    const session = viaProxy();
    await session.collection('_superusers').authWithPassword('third@example.com', 'third-password-1');
    const changed = await through(() =>
      pb
        .collection('_superusers')
        .update(user.id, { password: 'third-password-2', passwordConfirm: 'third-password-2' }),
    );
    expect(changed.served).toHaveLength(1);
    // The old token is refused by both processes (the token key it was signed with is gone from the database).
    const served: number[] = [];
    for (let i = 0; i < 2; i++) {
      const { result, served: by } = await through(() => failure(session.collection('_superusers').authRefresh()));
      served.push(by[0]!);
      expect(result.status).toBe(401);
    }
    expect(served.sort()).toEqual([0, 1]);
    await viaProxy().collection('_superusers').authWithPassword('third@example.com', 'third-password-2');
  });

  it('S3 set through one process is used by the other: a file uploaded through one is served by the other', async () => {
    const pb = await admin();
    const s3 = { enabled: true, ...buckets.options('cluster-files') };
    const set = await through(() => pb.settings.update({ s3 }));
    const [setter] = set.served;
    // The other process reloads its settings on the change's notice (bounded).
    const other = direct[1 - setter!]!;
    other.authStore.save(pb.authStore.token, pb.authStore.record);
    await eventually(async () => (await other.settings.getAll()).s3.enabled === true, 'the other process uses S3');

    const form = new FormData();
    form.append('title', 'with a file');
    form.append('attachment', new Blob(['bytes kept in the bucket']), 'note.txt');
    const uploaded = await through(() => viaProxy().collection('posts').create(form));
    const [uploader] = uploaded.served;
    const name = uploaded.result.attachment as string;
    expect(name).toMatch(/^note_\w+\.txt$/);

    // Downloaded through the proxy: the next request goes to the other process.
    const url = viaProxy().files.getURL(uploaded.result, name);
    expect(url.startsWith(proxy.url)).toBe(true);
    const download = await through(() => fetch(url, { signal: AbortSignal.timeout(5_000) }));
    expect(download.served).toEqual([1 - uploader!]);
    expect(download.result.status).toBe(200);
    expect(await download.result.text()).toBe('bytes kept in the bucket');

    // A protected file of a note guests may not see: refused without a token; a file token one process issues
    // opens it on the other.
    const secretForm = new FormData();
    secretForm.append('text', 'private, with a file');
    secretForm.append('secret', new Blob(['for superusers only']), 'secret.txt');
    const note = await pb.collection('notes').create(secretForm);
    const secretUrl = viaProxy().files.getURL(note, note.secret as string);
    for (let i = 0; i < 2; i++)
      expect((await fetch(secretUrl, { signal: AbortSignal.timeout(5_000) })).status).toBe(404);
    const token = await through(() => pb.files.getToken());
    const opened = await through(() =>
      fetch(`${secretUrl}?token=${token.result}`, { signal: AbortSignal.timeout(5_000) }),
    );
    expect(opened.served).toEqual([1 - token.served[0]!]);
    expect(opened.result.status).toBe(200);
    expect(await opened.result.text()).toBe('for superusers only');

    // The bytes are in the bucket, and in neither process's data directory.
    const bucket = new S3Storage(s3);
    expect(await bucket.stat(`${uploaded.result.collectionId}/${uploaded.result.id}/${name}`)).toBeDefined();
    for (const server of servers) {
      const storage = join(server.dataDir, 'storage');
      expect(existsSync(storage) ? readdirSync(storage, { recursive: true }) : []).toEqual([]);
    }
  });
});
