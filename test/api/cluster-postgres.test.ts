// Two Satchel processes (two apps, each with its own data and collections directories, as on two machines) on one
// PostgreSQL database, driven through the official SDK: what one writes, changes or schedules, the other serves.
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { afterEach, expect, it } from 'vitest';
import { createApp, type RunningServer, type SatchelApp } from '../../src/app.js';
import { superuserToken } from '../helpers/auth.js';
import { eventually, serves } from '../helpers/eventually.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

interface Process {
  app: SatchelApp;
  server: RunningServer;
  pb: PocketBase;
  collectionsDir: string;
}

let dirs: TempDirs | undefined;
const running: Process[] = [];
const subscribers: PocketBase[] = [];

afterEach(async () => {
  for (const pb of subscribers.splice(0)) pb.realtime.unsubscribe();
  for (const p of running.splice(0)) {
    await p.server.close();
    await p.app.close();
  }
  dirs?.remove();
  dirs = undefined;
});

/** Two processes started at the same moment on a fresh database, with the same collection files. */
async function twoProcesses(): Promise<[Process, Process]> {
  const db = await freshDatabase('cluster');
  dirs = tempDirs();
  dirs.writeCollection({ name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text', max: 100_000 }] });
  const start = async (i: number) => {
    const collectionsDir = mkdtempSync(join(dirs!.root, `collections-${i}-`));
    cpSync(dirs!.collectionsDir, collectionsDir, { recursive: true });
    const app = await createApp({ db, dataDir: join(dirs!.root, `data-${i}`), collectionsDir, rateLimit: false });
    const server = await app.listen({ port: 0 });
    const p: Process = { app, server, pb: new PocketBase(server.url).autoCancellation(false), collectionsDir };
    running.push(p);
    return p;
  };
  const [a, b] = await Promise.all([start(0), start(1)]);
  // One superuser for the database: a second upsert would change its token key.
  const token = await superuserToken(a.app);
  for (const p of [a, b]) p.pb.authStore.save(token, null);
  return [a, b];
}

describePostgres('two processes on one PostgreSQL database', () => {
  it('start together; a record written through one is read through the other, and heard by its subscribers', async () => {
    const [a, b] = await twoProcesses();
    const guest = new PocketBase(b.server.url);
    subscribers.push(guest);
    const heard: { action: string; title: string }[] = [];
    await guest.collection('posts').subscribe('*', (e) => heard.push({ action: e.action, title: e.record.title }));
    const small = await new PocketBase(a.server.url).collection('posts').create({ title: 'hello' });
    // Larger than a NOTIFY payload (8000 bytes): it travels through the message table.
    const large = 'x'.repeat(50_000);
    await new PocketBase(a.server.url).collection('posts').update(small.id, { title: large });
    expect((await b.pb.collection('posts').getOne(small.id)).title).toBe(large);
    await eventually(() => heard.length === 2);
    expect(heard).toEqual([
      { action: 'create', title: 'hello' },
      { action: 'update', title: large },
    ]);
  });

  it('a collection created through one is served by the other, whose files follow; settings too', async () => {
    const [a, b] = await twoProcesses();
    await a.pb.collections.create({
      name: 'notes',
      type: 'base',
      ...OPEN_RULES,
      fields: [{ name: 'text', type: 'text' }],
    });
    await eventually(() => serves(b, 'notes'));
    expect((await b.pb.collection('notes').create({ text: 'on b' })).text).toBe('on b');
    expect(existsSync(join(b.collectionsDir, 'notes.json'))).toBe(true);
    await b.pb.settings.update({ meta: { appName: 'One cluster' } });
    await eventually(async () => (await a.pb.settings.getAll()).meta.appName === 'One cluster');
  });

  it('a cron job added on both runs once per minute across them', async () => {
    const [a, b] = await twoProcesses();
    const runs: string[] = [];
    a.app.cron.add('digest', '*/5 * * * *', () => void runs.push('a'));
    b.app.cron.add('digest', '*/5 * * * *', () => void runs.push('b'));
    for (const m of [0, 1, 5, 10]) {
      const at = new Date(2026, 11, 1, 4, m);
      await Promise.all([a.app.cron.tick(at), b.app.cron.tick(at)]);
    }
    // Minutes 0, 5 and 10 are due (not 1), each run by one process.
    expect(runs).toHaveLength(3);
  });
});
