// Realtime over a real loopback server: the protocol as PocketBase speaks it (raw SSE), what the rules let each
// client hear, every write path feeding it, and the official SDK's subscribe() end to end.
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { ApiError } from '../../src/core/errors.js';
import { memberCollection, signIn, signUp } from '../helpers/auth.js';
import { openSse, type SseStream } from '../helpers/sse.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const collections = [
  memberCollection('members', { viewRule: 'id = @request.auth.id', listRule: 'id = @request.auth.id' }),
  {
    name: 'notes',
    listRule: 'owner = @request.auth.id',
    viewRule: 'owner = @request.auth.id',
    createRule: '',
    updateRule: '',
    deleteRule: '',
    fields: [
      { name: 'title', type: 'text' },
      { name: 'secret', type: 'text', hidden: true },
      { name: 'owner', type: 'relation', collectionId: 'members', maxSelect: 1 },
    ],
  },
  { name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] },
  {
    name: 'comments',
    ...OPEN_RULES,
    // Who may list a comment depends on its post: a cascaded delete must still be heard.
    listRule: 'post.title != "private"',
    fields: [
      { name: 'text', type: 'text' },
      { name: 'post', type: 'relation', collectionId: 'posts', cascadeDelete: true, maxSelect: 1 },
    ],
  },
  { name: 'locked', fields: [{ name: 'title', type: 'text' }] },
];

let app: SatchelApp;
let server: RunningServer;
let cleanup: () => Promise<void>;
let url: string;
let ann: { token: string; record: { id: string } };
let bob: { token: string; record: { id: string } };

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(collections, { rateLimit: false }));
  server = await app.listen({ port: 0 });
  url = server.url;
  for (const name of ['ann', 'bob']) {
    await signUp(app, 'members', { username: name, email: `${name}@example.com`, password: 'password123' });
  }
  ann = await signIn(app, 'members', 'ann', 'password123');
  bob = await signIn(app, 'members', 'bob', 'password123');
});

afterAll(async () => {
  await server.close();
  await cleanup();
});

async function subscribe(stream: SseStream, subscriptions: string[], token?: string): Promise<Response> {
  return fetch(`${url}/api/realtime`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: JSON.stringify({ clientId: stream.clientId, subscriptions }),
  });
}

async function api(method: string, path: string, body?: unknown, token?: string): Promise<any> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The messages (parsed data) a stream got for `name` after its first `from` events. */
function received(stream: SseStream, name: string, from = 0): any[] {
  return stream.events
    .slice(from)
    .filter((e) => e.event === name)
    .map((e) => JSON.parse(e.data));
}

describe('the protocol', () => {
  it('GET opens an event stream whose first event is PB_CONNECT with the client id', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      expect(stream.headers.get('cache-control')).toBe('no-store');
      expect(stream.clientId).toMatch(/^[A-Za-z0-9]{40}$/);
      expect(stream.events[0]).toEqual({
        id: stream.clientId,
        event: 'PB_CONNECT',
        data: JSON.stringify({ clientId: stream.clientId }),
      });
    } finally {
      stream.close();
    }
  });

  it('POST answers 204; an unknown client is a 404, a missing client id a 400', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['posts/*'])).status).toBe(204);
      const unknown = await fetch(`${url}/api/realtime`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'x'.repeat(40), subscriptions: [] }),
      });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as any).message).toBe('Missing or invalid client id.');
      const missing = await fetch(`${url}/api/realtime`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subscriptions: [] }),
      });
      expect(missing.status).toBe(400);
      expect(((await missing.json()) as any).data.clientId.code).toBe('validation_required');
    } finally {
      stream.close();
    }
  });

  it('a malformed subscription is a 400 naming it, and changes nothing', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['posts/*'])).status).toBe(204);
      const bad = await subscribe(stream, ['comments/*', 'posts/*?options=' + encodeURIComponent('{not json')]);
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as any;
      expect(Object.keys(body.data.subscriptions)).toEqual(['1']);
      expect(body.data.subscriptions['1'].message).toContain('options');
      const tooLong = await subscribe(stream, ['posts/' + 'x'.repeat(2500)]);
      expect(tooLong.status).toBe(400);
      const tooMany = await subscribe(
        stream,
        Array.from({ length: 1001 }, (_, i) => `posts/${i}`),
      );
      expect(tooMany.status).toBe(400);
      const lineBreak = await subscribe(stream, ['posts/*\nevent:PB_CONNECT']);
      expect(lineBreak.status).toBe(400);
      // The refused requests left the first subscription in place.
      const from = stream.events.length;
      const post = await api('POST', '/api/collections/posts/records', { title: 'still heard' });
      expect(await stream.next('posts/*', 2000, from)).toBeDefined();
      expect(received(stream, 'comments/*', from)).toEqual([]);
      await api('DELETE', `/api/collections/posts/records/${post.id}`);
    } finally {
      stream.close();
    }
  });

  it('a client follows sign-in and sign-out; bound to one user, it is refused to another (403)', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['notes/*'])).status).toBe(204);
      expect((await subscribe(stream, ['notes/*'], ann.token)).status).toBe(204);
      const other = await subscribe(stream, ['notes/*'], bob.token);
      expect(other.status).toBe(403);
      expect(((await other.json()) as any).message).toBe(
        "The current and the previous request authorization don't match.",
      );
      // Signed out: a guest again, who no longer hears Ann's notes.
      expect((await subscribe(stream, ['notes/*'])).status).toBe(204);
      const from = stream.events.length;
      await api('POST', '/api/collections/notes/records', { title: 'after sign-out', owner: ann.record.id });
      await settle(150);
      expect(received(stream, 'notes/*', from)).toEqual([]);
      // And may sign in again, as anyone.
      expect((await subscribe(stream, ['notes/*'], bob.token)).status).toBe(204);
    } finally {
      stream.close();
    }
  });

  it('a disconnected client is forgotten', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    expect(app.realtime.clients.get(stream.clientId)).toBeDefined();
    stream.close();
    for (let i = 0; i < 50 && app.realtime.clients.get(stream.clientId); i++) await settle(20);
    expect(app.realtime.clients.get(stream.clientId)).toBeUndefined();
    expect((await subscribe(stream, ['posts/*'])).status).toBe(404);
  });
});

describe('what each client hears', () => {
  it('create, update and delete, named by topic, in order, with the record as the list route shows it', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['posts/*'])).status).toBe(204);
      const post = await api('POST', '/api/collections/posts/records', { title: 'one' });
      await api('PATCH', `/api/collections/posts/records/${post.id}`, { title: 'two' });
      await api('DELETE', `/api/collections/posts/records/${post.id}`);
      await stream.next('posts/*', 2000, stream.events.length - 1);
      for (let i = 0; i < 50 && received(stream, 'posts/*').length < 3; i++) await settle(20);
      const got = received(stream, 'posts/*');
      expect(got.map((m) => m.action)).toEqual(['create', 'update', 'delete']);
      expect(got[0].record).toEqual(post);
      expect(got[1].record.title).toBe('two');
      expect(got[2].record.id).toBe(post.id);
      expect(Object.keys(JSON.parse(stream.events.find((e) => e.event === 'posts/*')!.data))).toEqual([
        'record',
        'action',
      ]);
    } finally {
      stream.close();
    }
  });

  it('the list rule with the client’s own auth: owners hear their notes, others and guests hear nothing', async () => {
    const [annStream, bobStream, guestStream] = await Promise.all([
      openSse(`${url}/api/realtime`),
      openSse(`${url}/api/realtime`),
      openSse(`${url}/api/realtime`),
    ]);
    try {
      expect((await subscribe(annStream, ['notes/*'], ann.token)).status).toBe(204);
      expect((await subscribe(bobStream, ['notes/*'], bob.token)).status).toBe(204);
      expect((await subscribe(guestStream, ['notes/*'])).status).toBe(204);
      const note = await api('POST', '/api/collections/notes/records', {
        title: 'mine',
        secret: 's3cret',
        owner: ann.record.id,
      });
      const heard = await annStream.next('notes/*');
      expect(JSON.parse(heard!.data).record).toMatchObject({ id: note.id, title: 'mine' });
      // A hidden field never travels.
      expect(JSON.parse(heard!.data).record).not.toHaveProperty('secret');
      expect(heard!.data).not.toContain('s3cret');
      await settle(150);
      expect(received(bobStream, 'notes/*')).toEqual([]);
      expect(received(guestStream, 'notes/*')).toEqual([]);
    } finally {
      annStream.close();
      bobStream.close();
      guestStream.close();
    }
  });

  it('a record topic follows the view rule; a locked collection is heard by superusers only', async () => {
    await app.auth.upsertSuperuser('root@example.com', 'password123');
    const root = await signIn(app, '_superusers', 'root@example.com', 'password123');
    const note = await api('POST', '/api/collections/notes/records', { title: 'a', owner: ann.record.id });
    const [annStream, bobStream, rootStream] = await Promise.all([
      openSse(`${url}/api/realtime`),
      openSse(`${url}/api/realtime`),
      openSse(`${url}/api/realtime`),
    ]);
    try {
      expect((await subscribe(annStream, [`notes/${note.id}`, 'locked/*'], ann.token)).status).toBe(204);
      expect((await subscribe(bobStream, [`notes/${note.id}`], bob.token)).status).toBe(204);
      expect((await subscribe(rootStream, [`notes/${note.id}`, 'locked/*'], root.token)).status).toBe(204);
      await api('PATCH', `/api/collections/notes/records/${note.id}`, { title: 'b' });
      await api('POST', '/api/collections/locked/records', { title: 'x' }, root.token);
      expect(JSON.parse((await annStream.next(`notes/${note.id}`))!.data).record.title).toBe('b');
      const rootNote = JSON.parse((await rootStream.next(`notes/${note.id}`))!.data).record;
      // Superusers see hidden fields, as on the view route.
      expect(rootNote).toHaveProperty('secret');
      expect(await rootStream.next('locked/*')).toBeDefined();
      await settle(150);
      expect(received(bobStream, `notes/${note.id}`)).toEqual([]);
      expect(received(annStream, 'locked/*')).toEqual([]);
    } finally {
      annStream.close();
      bobStream.close();
      rootStream.close();
    }
  });

  it('per-subscription filter, expand and fields; an expanded relation follows its own view rule', async () => {
    const options = (query: Record<string, string>) =>
      `notes/*?options=${encodeURIComponent(JSON.stringify({ query }))}`;
    const [annStream, bobStream] = await Promise.all([openSse(`${url}/api/realtime`), openSse(`${url}/api/realtime`)]);
    try {
      const annSubs = [
        options({ filter: 'title ~ "keep"', expand: 'owner', fields: 'id,title,expand.owner.username' }),
      ];
      expect((await subscribe(annStream, annSubs, ann.token)).status).toBe(204);
      // Bob may not list Ann's notes at all: his filter cannot widen the rule.
      expect((await subscribe(bobStream, [options({ filter: 'id != ""' })], bob.token)).status).toBe(204);
      await api('POST', '/api/collections/notes/records', { title: 'drop me', owner: ann.record.id });
      await api('POST', '/api/collections/notes/records', { title: 'keep me', owner: ann.record.id });
      const heard = await annStream.next(annSubs[0]!);
      expect(JSON.parse(heard!.data)).toEqual({
        record: { id: expect.any(String), title: 'keep me', expand: { owner: { username: 'ann' } } },
        action: 'create',
      });
      await settle(150);
      expect(received(annStream, annSubs[0]!).length).toBe(1);
      expect(bobStream.events.filter((e) => e.event !== 'PB_CONNECT')).toEqual([]);
    } finally {
      annStream.close();
      bobStream.close();
    }
  });

  it('a filter on a hidden field hears nothing rather than learning from it', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      const sub = `notes/*?options=${encodeURIComponent(JSON.stringify({ query: { filter: 'secret = "x"' } }))}`;
      expect((await subscribe(stream, [sub], ann.token)).status).toBe(204);
      await api('POST', '/api/collections/notes/records', { title: 't', secret: 'x', owner: ann.record.id });
      await settle(200);
      expect(received(stream, sub)).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('a cascaded delete is heard for every record it removes, even when their rule reads the deleted parent', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['comments/*', 'posts/*'])).status).toBe(204);
      const post = await api('POST', '/api/collections/posts/records', { title: 'public' });
      const c1 = await api('POST', '/api/collections/comments/records', { text: 'a', post: post.id });
      const c2 = await api('POST', '/api/collections/comments/records', { text: 'b', post: post.id });
      for (let i = 0; i < 50 && received(stream, 'comments/*').length < 2; i++) await settle(20);
      const from = stream.events.length;
      await api('DELETE', `/api/collections/posts/records/${post.id}`);
      for (let i = 0; i < 50 && stream.events.length - from < 3; i++) await settle(20);
      const deletes = stream.events
        .slice(from)
        .map((e) => ({ name: e.event, ...JSON.parse(e.data) }))
        .map((m) => `${m.name} ${m.action} ${m.record.id}`);
      expect(deletes.sort()).toEqual(
        [`comments/* delete ${c1.id}`, `comments/* delete ${c2.id}`, `posts/* delete ${post.id}`].sort(),
      );
    } finally {
      stream.close();
    }
  });

  it('the auth flows and sign-ups are heard like any write (they go through the same pipeline)', async () => {
    const stream = await openSse(`${url}/api/realtime`);
    try {
      const root = await signIn(app, '_superusers', 'root@example.com', 'password123');
      expect((await subscribe(stream, ['members/*'], root.token)).status).toBe(204);
      const carl = await signUp(app, 'members', {
        username: 'carl',
        email: 'carl@example.com',
        password: 'password123',
      });
      const created = await stream.next('members/*');
      expect(JSON.parse(created!.data)).toMatchObject({ action: 'create', record: { id: carl.id } });
      // A superuser sees the e-mail; the password hash and token key never travel.
      expect(created!.data).toContain('carl@example.com');
      expect(created!.data).not.toContain('tokenKey');
      expect(created!.data).not.toContain('password');
    } finally {
      stream.close();
    }
  });
});

describe('when the signed-in record changes', () => {
  it('a new password signs the realtime client out; signing in again binds it anew', async () => {
    await signUp(app, 'members', { username: 'dora', email: 'dora@example.com', password: 'password123' });
    const dora = await signIn(app, 'members', 'dora', 'password123');
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['notes/*'], dora.token)).status).toBe(204);
      await api('POST', '/api/collections/notes/records', { title: 'heard', owner: dora.record.id });
      expect(await stream.next('notes/*')).toBeDefined();
      await api(
        'PATCH',
        `/api/collections/members/records/${dora.record.id}`,
        { oldPassword: 'password123', password: 'password456', passwordConfirm: 'password456' },
        dora.token,
      );
      const from = stream.events.length;
      await api('POST', '/api/collections/notes/records', { title: 'not heard', owner: dora.record.id });
      await settle(200);
      expect(received(stream, 'notes/*', from)).toEqual([]);
      const again = await signIn(app, 'members', 'dora', 'password456');
      expect((await subscribe(stream, ['notes/*'], again.token)).status).toBe(204);
      await api('POST', '/api/collections/notes/records', { title: 'heard again', owner: dora.record.id });
      expect(JSON.parse((await stream.next('notes/*', 2000, from))!.data).record.title).toBe('heard again');
    } finally {
      stream.close();
    }
  });
});

describe('extensions', () => {
  it('a rolled-back write sends nothing', async () => {
    const id = app.onRecordCreate('posts', async (e) => {
      await e.next();
      if (e.record.title === 'roll back') throw ApiError.badRequest('no');
    });
    const stream = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(stream, ['posts/*'])).status).toBe(204);
      await expect(api('POST', '/api/collections/posts/records', { title: 'roll back' })).rejects.toThrow(/400/);
      await api('POST', '/api/collections/posts/records', { title: 'kept' });
      await stream.next('posts/*');
      await settle(100);
      expect(received(stream, 'posts/*').map((m) => m.record.title)).toEqual(['kept']);
    } finally {
      app.hooks.onRecordCreate.unbind(id);
      stream.close();
    }
  });

  it('custom topics: a route publishes to chosen clients; hooks can veto a subscription or rewrite a message', async () => {
    const veto = app.onRealtimeSubscribeRequest(async (e) => {
      if (e.subscriptions.some((s) => s.topic === 'forbidden')) throw ApiError.forbidden('Not this topic.');
      await e.next();
    });
    const rewrite = app.onRealtimeMessageSend(async (e) => {
      if (e.message.name === 'shout') e.message = { ...e.message, data: e.message.data.toUpperCase() };
      if (e.message.name === 'muted') return; // held back
      await e.next();
    });
    const [annStream, bobStream] = await Promise.all([openSse(`${url}/api/realtime`), openSse(`${url}/api/realtime`)]);
    try {
      expect((await subscribe(annStream, ['forbidden'], ann.token)).status).toBe(403);
      expect((await subscribe(annStream, ['inbox', 'shout', 'muted'], ann.token)).status).toBe(204);
      expect((await subscribe(bobStream, ['inbox'], bob.token)).status).toBe(204);
      const sent = await app.realtime.publish(
        'inbox',
        { hello: 'ann' },
        { to: (client) => client.access.auth?.id === ann.record.id },
      );
      expect(sent).toBe(1);
      expect(JSON.parse((await annStream.next('inbox'))!.data)).toEqual({ hello: 'ann' });
      await app.realtime.publish('shout', 'hi');
      expect((await annStream.next('shout'))!.data).toBe('"HI"');
      expect(await app.realtime.publish('muted', 1)).toBe(0);
      await settle(100);
      expect(received(bobStream, 'inbox')).toEqual([]);
      expect(received(annStream, 'muted')).toEqual([]);
    } finally {
      app.realtime.hooks.onRealtimeSubscribeRequest.unbind(veto);
      app.realtime.hooks.onRealtimeMessageSend.unbind(rewrite);
      annStream.close();
      bobStream.close();
    }
  });
});

describe('bad and slow clients', () => {
  it('a client that does not read is disconnected once its queue is full; others go on hearing', async () => {
    const { connect } = await import('node:net');
    const port = Number(new URL(url).port);
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /api/realtime HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // Read the head and PB_CONNECT, then stop reading.
    const clientId = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`no PB_CONNECT in ${JSON.stringify(text)}`)), 2000);
      const onData = (chunk: Buffer) => {
        text += chunk.toString();
        const id = /"clientId":"(\w+)"/.exec(text)?.[1];
        if (!id) return;
        clearTimeout(timer);
        socket.off('data', onData);
        socket.pause();
        resolve(id);
      };
      socket.on('data', onData);
    });
    const res = await fetch(`${url}/api/realtime`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId, subscriptions: ['firehose'] }),
    });
    expect(res.status).toBe(204);
    const reader = await openSse(`${url}/api/realtime`);
    try {
      expect((await subscribe(reader, ['firehose'])).status).toBe(204);
      const big = 'x'.repeat(64 * 1024);
      let delivered = 0;
      for (let i = 0; i < 200 && app.realtime.clients.get(clientId); i++) {
        delivered = await app.realtime.publish('firehose', big);
        await settle(5);
      }
      expect(app.realtime.clients.get(clientId)).toBeUndefined();
      // The reading client is still there and still hears.
      expect(delivered).toBeGreaterThanOrEqual(1);
      expect(await app.realtime.publish('firehose', 'after')).toBe(1);
    } finally {
      socket.destroy();
      reader.close();
    }
  });
});

describe('the official SDK', () => {
  it('subscribe() hears create, update and delete with its filter and fields; unsubscribe() stops it', async () => {
    const pb = new PocketBase(url);
    const got: any[] = [];
    await pb.collection('posts').subscribe('*', (e) => got.push(e), { filter: 'title ~ "sdk"', fields: 'id,title' });
    const post = await pb.collection('posts').create({ title: 'sdk one' });
    await pb.collection('posts').create({ title: 'other' });
    await pb.collection('posts').update(post.id, { title: 'sdk two' });
    await pb.collection('posts').delete(post.id);
    for (let i = 0; i < 50 && got.length < 3; i++) await settle(20);
    expect(got).toEqual([
      { action: 'create', record: { id: post.id, title: 'sdk one' } },
      { action: 'update', record: { id: post.id, title: 'sdk two' } },
      { action: 'delete', record: { id: post.id, title: 'sdk two' } },
    ]);
    await pb.collection('posts').unsubscribe();
    await pb.collection('posts').create({ title: 'sdk after' });
    await settle(150);
    expect(got.length).toBe(3);
    pb.realtime.unsubscribe();
  });

  it('a signed-in SDK hears what its user may see, through a record topic too', async () => {
    const pb = new PocketBase(url);
    await pb.collection('members').authWithPassword('bob', 'password123');
    const got: any[] = [];
    await pb.collection('notes').subscribe('*', (e) => got.push(e.record.title));
    await api('POST', '/api/collections/notes/records', { title: 'for ann', owner: ann.record.id });
    const mine = await api('POST', '/api/collections/notes/records', { title: 'for bob', owner: bob.record.id });
    const byId: any[] = [];
    await pb.collection('notes').subscribe(mine.id, (e) => byId.push(e.action));
    await api('PATCH', `/api/collections/notes/records/${mine.id}`, { title: 'for bob 2' });
    for (let i = 0; i < 50 && (got.length < 2 || byId.length < 1); i++) await settle(20);
    expect(got).toEqual(['for bob', 'for bob 2']);
    expect(byId).toEqual(['update']);
    pb.realtime.unsubscribe();
  });
});
