// Realtime across restarts and across processes: the SDK reconnects to a restarted server and hears what follows;
// two apps on one database, linked by a transport, each hear what the other commits.
import { createServer } from 'node:net';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type SatchelApp } from '../../src/app.js';
import type { ChangeNotice, RealtimeTransport } from '../../src/core/realtime/index.js';
import { openSse } from '../helpers/sse.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Two transports wired to each other, delivering asynchronously as a network would. */
function linkedTransports(): [RealtimeTransport, RealtimeTransport] {
  const receivers: ((notice: ChangeNotice) => void)[] = [];
  const side = (me: number): RealtimeTransport => ({
    publish: (notice) => {
      const copy = JSON.parse(JSON.stringify(notice)) as ChangeNotice;
      setImmediate(() => receivers[1 - me]?.(copy));
    },
    subscribe: (receive) => {
      receivers[me] = receive;
    },
  });
  return [side(0), side(1)];
}

let dirs: TempDirs | undefined;
const apps: SatchelApp[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  dirs?.remove();
  dirs = undefined;
});

function collections(d: TempDirs) {
  d.writeCollection({ name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] });
}

describe('realtime beyond one server', () => {
  it('the SDK reconnects to a restarted server and hears the changes made after it', async () => {
    dirs = tempDirs();
    collections(dirs);
    const port = await freePort();
    const open = async () => {
      const app = await createApp({ dataDir: dirs!.dataDir, collectionsDir: dirs!.collectionsDir, rateLimit: false });
      apps.push(app);
      return { app, server: await app.listen({ port }) };
    };
    const first = await open();
    const pb = new PocketBase(first.server.url);
    const got: string[] = [];
    await pb.collection('posts').subscribe('*', (e) => got.push(e.record.title));
    await pb.collection('posts').create({ title: 'before' });
    for (let i = 0; i < 50 && got.length < 1; i++) await settle(20);

    await first.server.close();
    await first.app.close();
    apps.splice(apps.indexOf(first.app), 1);
    const second = await open();
    try {
      // The SDK retries after 200, 300, 500 ms...; once it has resubscribed, a new record is heard.
      const writer = new PocketBase(second.server.url);
      for (let i = 0; i < 100 && got.length < 2; i++) {
        if (second.app.realtime.clients.size > 0 && i % 10 === 0) {
          await writer.collection('posts').create({ title: `after ${i}` });
        }
        await settle(50);
      }
      expect(got[0]).toBe('before');
      expect(got[1]).toMatch(/^after/);
    } finally {
      pb.realtime.unsubscribe();
      await second.server.close();
    }
  });

  it('idle streams get keep-alive comments, which the SDK ignores', async () => {
    dirs = tempDirs();
    collections(dirs);
    const app = await createApp({
      dataDir: dirs.dataDir,
      collectionsDir: dirs.collectionsDir,
      realtimeKeepAliveMs: 100,
    });
    apps.push(app);
    const server = await app.listen({ port: 0 });
    const abort = new AbortController();
    try {
      const res = await fetch(`${server.url}/api/realtime`, { signal: abort.signal });
      const reader = res.body!.getReader();
      let text = '';
      const deadline = Date.now() + 2000;
      while (!text.includes(':\n\n') && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain('event:PB_CONNECT');
      expect(text).toMatch(/\n\n:\n\n/);
    } finally {
      abort.abort();
      await server.close();
    }
  });

  it('two apps on one database hear each other’s changes through a transport', async () => {
    dirs = tempDirs();
    collections(dirs);
    const [t1, t2] = linkedTransports();
    const a = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, realtimeTransport: t1 });
    apps.push(a);
    const b = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, realtimeTransport: t2 });
    apps.push(b);
    const [sa, sb] = [await a.listen({ port: 0 }), await b.listen({ port: 0 })];
    const onA = await openSse(`${sa.url}/api/realtime`);
    const onB = await openSse(`${sb.url}/api/realtime`);
    try {
      for (const [stream, server] of [
        [onA, sa],
        [onB, sb],
      ] as const) {
        const res = await fetch(`${server.url}/api/realtime`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: stream.clientId, subscriptions: ['posts/*'] }),
        });
        expect(res.status).toBe(204);
      }
      const created = await a.records.create('posts', { title: 'from a' }, { superuser: false, auth: null });
      // Order holds within a process; across processes it is the order notices arrive in, so B's own write
      // follows once A's has reached it.
      expect(await onB.next('posts/*')).toBeDefined();
      await b.records.update('posts', String(created.id), { title: 'from b' }, { superuser: false, auth: null });
      for (const stream of [onA, onB]) {
        for (let i = 0; i < 50 && stream.events.filter((e) => e.event === 'posts/*').length < 2; i++) await settle(20);
        const heard = stream.events.filter((e) => e.event === 'posts/*').map((e) => JSON.parse(e.data));
        expect(heard.map((m) => `${m.action} ${m.record.title}`)).toEqual(['create from a', 'update from b']);
      }
    } finally {
      onA.close();
      onB.close();
      await sa.close();
      await sb.close();
    }
  });
});
