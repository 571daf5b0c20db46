// Several Satchel processes on one database, linked by their coordination (here in memory, over one SQLite data
// directory): a schema change, a settings change or a record change made through one is served by the other, and
// a cron job due on both runs on one.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventSource } from 'eventsource';
import PocketBase from 'pocketbase';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp, type RunningServer, type SatchelApp } from '../../src/app.js';
import { superuserToken } from '../helpers/auth.js';
import { eventually, serves } from '../helpers/eventually.js';
import { linkedCoordinations, type LinkedCoordination } from '../helpers/linked-coordination.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

interface Process {
  app: SatchelApp;
  link: LinkedCoordination;
  server: RunningServer;
  pb: PocketBase;
  collectionsDir: string;
}

let dirs: TempDirs | undefined;
const running: Process[] = [];

afterEach(async () => {
  for (const p of running.splice(0)) {
    p.pb.realtime.unsubscribe();
    await p.server.close();
    await p.app.close();
  }
  dirs?.remove();
  dirs = undefined;
});

/** Two processes on one data directory; the second has its own copy of the collections directory. */
async function twoProcesses(
  options: { sharedCollections?: boolean } = {},
): Promise<[Process, Process, (files?: (dir: string) => void) => Promise<Process>]> {
  dirs = tempDirs();
  dirs.writeCollection({ name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] });
  const secondDir = options.sharedCollections ? dirs.collectionsDir : mkdtempSync(join(dirs.root, 'collections-b-'));
  if (!options.sharedCollections) cpSync(dirs.collectionsDir, secondDir, { recursive: true });
  const coordinations = linkedCoordinations(3);
  let token: string | undefined;
  const start = async (collectionsDir: string, i: number) => {
    const app = await createApp({
      dataDir: dirs!.dataDir,
      collectionsDir,
      coordination: coordinations[i],
      rateLimit: false,
    });
    const server = await app.listen({ port: 0 });
    const pb = new PocketBase(server.url).autoCancellation(false);
    // One superuser for the database: a second upsert would change its token key.
    pb.authStore.save((token ??= await superuserToken(app)), null);
    const p = { app, server, pb, collectionsDir, link: coordinations[i]! };
    running.push(p);
    return p;
  };
  // A third process started later, with its own collections directory (a copy of the first's, then `files`).
  const third = async (files?: (dir: string) => void) => {
    const dir = mkdtempSync(join(dirs!.root, 'collections-c-'));
    cpSync(dirs!.collectionsDir, dir, { recursive: true });
    files?.(dir);
    return start(dir, 2);
  };
  return [await start(dirs.collectionsDir, 0), await start(secondDir, 1), third];
}

describe('processes sharing one database', () => {
  it('a collection created, changed and deleted through one process is served so by the other', async () => {
    const [a, b] = await twoProcesses();
    await a.pb.collections.create({
      name: 'notes',
      type: 'base',
      ...OPEN_RULES,
      fields: [{ name: 'text', type: 'text' }],
    });
    await eventually(() => serves(b, 'notes'));
    const made = await a.pb.collection('notes').create({ text: 'from a' });
    expect((await b.pb.collection('notes').getOne(made.id)).text).toBe('from a');

    // A field added through a: b validates and stores it.
    const notes = await a.pb.collections.getOne('notes');
    await a.pb.collections.update('notes', { fields: [...notes.fields, { name: 'mood', type: 'text', max: 5 }] });
    await eventually(async () => (await b.pb.collections.getOne('notes')).fields.some((f) => f.name === 'mood'));
    expect((await b.pb.collection('notes').create({ text: 'on b', mood: 'calm' })).mood).toBe('calm');
    await expect(b.pb.collection('notes').create({ mood: 'too long' })).rejects.toMatchObject({ status: 400 });

    // b's own collections directory followed, so b can change the collection in turn (no 409) and a serves that.
    const fileOnB = JSON.parse(readFileSync(join(b.collectionsDir, 'notes.json'), 'utf8')) as { fields: unknown[] };
    expect(JSON.stringify(fileOnB.fields)).toContain('mood');
    const onB = await b.pb.collections.getOne('notes');
    await b.pb.collections.update('notes', { fields: [...onB.fields, { name: 'stars', type: 'number' }] });
    await eventually(async () => (await a.pb.collections.getOne('notes')).fields.some((f) => f.name === 'stars'));
    expect((await a.pb.collection('notes').create({ stars: 4 })).stars).toBe(4);

    await a.pb.collections.delete('notes');
    await eventually(async () => !(await serves(b, 'notes')));
    expect(existsSync(join(b.collectionsDir, 'notes.json'))).toBe(false);
  });

  it('with one collections directory for both, the other process takes the written file as known', async () => {
    const [a, b] = await twoProcesses({ sharedCollections: true });
    await a.pb.collections.create({
      name: 'tags',
      type: 'base',
      ...OPEN_RULES,
      fields: [{ name: 'label', type: 'text' }],
    });
    await eventually(() => serves(b, 'tags'));
    // b changing the file a wrote is not refused as "changed on disk".
    const tags = await b.pb.collections.getOne('tags');
    await b.pb.collections.update('tags', { fields: [...tags.fields, { name: 'color', type: 'text' }] });
    await eventually(async () => (await a.pb.collections.getOne('tags')).fields.some((f) => f.name === 'color'));
  });

  it('a settings change saved through one process is seen by the other (and what follows from it)', async () => {
    const [a, b] = await twoProcesses();
    await a.pb.settings.update({ meta: { appName: 'Clustered' }, backups: { cron: '0 3 * * *' } });
    await eventually(async () => (await b.pb.settings.getAll()).meta.appName === 'Clustered');
    // b rescheduled its backups from the new settings.
    expect(b.app.cron.list().map((j) => j.id)).toContain('__pbAutoBackup__');
    expect(b.app.settings.get().meta.appName).toBe('Clustered');
  });

  it('a realtime subscriber on one process hears a change committed through the other, as its rules allow', async () => {
    const [a, b] = await twoProcesses();
    const guest = new PocketBase(b.server.url);
    running.push({ ...b, pb: guest });
    const heard: string[] = [];
    await guest.collection('posts').subscribe('*', (e) => heard.push(`${e.action} ${e.record.title}`));
    const post = await new PocketBase(a.server.url).collection('posts').create({ title: 'hello' });
    await eventually(() => heard.length === 1);
    // A rule b applies: once the list rule shuts guests out, b's guest hears nothing more.
    await a.pb.collections.update('posts', { listRule: '@request.auth.id != ""', viewRule: '@request.auth.id != ""' });
    await eventually(async () => (await b.pb.collections.getOne('posts')).listRule !== '');
    await a.pb.collection('posts').update(post.id, { title: 'hidden' });
    await new Promise((r) => setTimeout(r, 300));
    expect(heard).toEqual(['create hello']);
  });

  it('after a lost link, a process catches up with the schema and settings changes it missed', async () => {
    const [a, b] = await twoProcesses();
    b.link.disconnect();
    await a.pb.collections.create({
      name: 'missed',
      type: 'base',
      ...OPEN_RULES,
      fields: [{ name: 'x', type: 'text' }],
    });
    await a.pb.settings.update({ meta: { appName: 'Missed' } });
    await new Promise((r) => setTimeout(r, 200));
    // Not heard (a request for it would read the stored schema by itself: tested apart).
    expect(b.app.engine.collections.find('missed')).toBeUndefined();
    expect(b.app.settings.get().meta.appName).not.toBe('Missed');
    b.link.reconnect();
    await eventually(() => b.app.engine.collections.find('missed') !== undefined);
    expect(await serves(b, 'missed')).toBe(true);
    await eventually(() => b.app.settings.get().meta.appName === 'Missed');
    expect(existsSync(join(b.collectionsDir, 'missed.json'))).toBe(true);
  });

  it('a request for a collection made a moment ago on another process is served before the notice arrives', async () => {
    const [a, b] = await twoProcesses();
    b.link.disconnect();
    await a.pb.collections.create({
      name: 'fresh',
      type: 'base',
      ...OPEN_RULES,
      fields: [{ name: 'x', type: 'text' }],
    });
    expect(b.app.engine.collections.find('fresh')).toBeUndefined();
    const made = await b.pb.collection('fresh').create({ x: 'on b' });
    expect((await a.pb.collection('fresh').getOne(made.id)).x).toBe('on b');
    // A collection that exists nowhere is still a 404.
    await expect(b.pb.collection('nowhere').getList(1, 1)).rejects.toMatchObject({ status: 404 });
  });

  it('a change through a process that has not heard of the last one yet starts from it, not from its stale copy', async () => {
    const [a, b] = await twoProcesses();
    b.link.disconnect();
    await a.pb.collections.create({ name: 'first', type: 'base', ...OPEN_RULES, fields: [] });
    await b.pb.collections.create({ name: 'second', type: 'base', ...OPEN_RULES, fields: [] });
    expect(await serves(b, 'first')).toBe(true);
    await eventually(() => serves(a, 'second'));
    expect(await serves(a, 'first')).toBe(true);
  });

  it('a process started later whose files change the database: the running ones serve what it made', async () => {
    const [a, b, third] = await twoProcesses();
    await third((dir) =>
      writeFileSync(join(dir, 'extra.json'), JSON.stringify({ name: 'extra', ...OPEN_RULES, fields: [] })),
    );
    await eventually(() => serves(a, 'extra'));
    await eventually(() => serves(b, 'extra'));
  });

  it('a cron job due on both processes runs on one of them, each minute', async () => {
    const [a, b] = await twoProcesses();
    const runs: string[] = [];
    a.app.cron.add('report', '* * * * *', () => void runs.push('a'));
    b.app.cron.add('report', '* * * * *', () => void runs.push('b'));
    const minute = new Date(2026, 11, 1, 4, 0);
    await Promise.all([a.app.cron.tick(minute), b.app.cron.tick(minute)]);
    expect(runs).toHaveLength(1);
    const next = new Date(2026, 11, 1, 4, 1);
    await Promise.all([b.app.cron.tick(next), a.app.cron.tick(next)]);
    expect(runs).toHaveLength(2);
  });
});
