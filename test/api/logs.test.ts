// Request logs through the official SDK (pb.logs): every request is logged in batches to pb_data/auxiliary.db
// with PocketBase's fields, secrets masked; listed with the filter language, viewed, counted per hour; the
// logs settings (maxDays, minLevel, logIP, logAuthId) apply at once; app.logger lines join them.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { sdkApp } from '../helpers/sdk-app.js';
import { OPEN_RULES, type TempDirs } from '../helpers/temp-app.js';

const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'title', type: 'text', required: true }] };

let app: SatchelApp;
let dirs: TempDirs;
let server: RunningServer;
let pb: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  ({ app, dirs, server, pb, cleanup: done } = await sdkApp([notes], { rateLimit: false }));
});

afterAll(() => done());

/** A guest's request to the running server. */
const guest = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

/** The entries matching `filter`, once the batch writer has stored what is queued. */
async function logged(filter: string) {
  await app.engine.logs.flush();
  return (await pb.logs.getList(1, 100, { filter, sort: '-created' })).items;
}

describe('request logs', () => {
  it('every request is logged with PocketBase fields; failures at error level with their message', async () => {
    await guest('/api/collections/notes/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'logs-test/1' },
      body: JSON.stringify({ title: 'hello' }),
    });
    await guest('/api/collections/notes/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    await guest('/api/nowhere');
    const created = await logged('data.method = "POST" && data.status = 200');
    expect(created).toHaveLength(1);
    expect(created[0]).toMatchObject({
      level: 0,
      message: 'POST /api/collections/notes/records',
      data: {
        type: 'request',
        method: 'POST',
        url: '/api/collections/notes/records',
        status: 200,
        auth: '',
        userAgent: 'logs-test/1',
        userIP: '127.0.0.1',
        remoteIP: '127.0.0.1',
      },
    });
    expect(created[0]!.data.execTime).toBeGreaterThan(0);
    expect(created[0]!.id).toMatch(/^[a-z0-9]{15}$/);
    const invalid = await logged('data.status = 400 && data.url ~ "notes"');
    expect(invalid[0]).toMatchObject({
      level: 8,
      data: { error: expect.any(String), details: { title: expect.anything() } },
    });
    expect(await logged('data.status = 404 && data.url = "/api/nowhere"')).toHaveLength(1);
  });

  it('values with quotes, backslashes and non-ASCII text are stored exactly', async () => {
    const agent = 'odd "agent" \\ with ünïcödé';
    await guest('/api/collections/notes/records?filter=' + encodeURIComponent('title = "x\\"y"'), {
      headers: { 'user-agent': agent, referer: 'http://ex.test/"q"' },
    });
    const [entry] = await logged('data.userAgent ~ "odd"');
    expect(entry!.data.userAgent).toBe(agent);
    expect(entry!.data.referer).toBe('http://ex.test/"q"');
  });

  it('secrets in the query are masked; a superuser request names its collection', async () => {
    await guest('/api/files/notes/abc/x.txt?token=very-secret-token&thumb=10x10');
    const entry = (await logged('data.url ~ "/api/files/notes/abc"'))[0]!;
    expect(entry.data.url).toBe('/api/files/notes/abc/x.txt?token=***&thumb=10x10');
    expect(JSON.stringify(entry)).not.toContain('very-secret-token');
    await pb.collection('notes').getList(1, 1);
    const mine = await logged('data.auth = "_superusers" && data.url ~ "/api/collections/notes/records"');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]!.data).not.toHaveProperty('authId');
  });

  it('a busy moment (a batch written by the writer thread) is logged the same way, every line', async () => {
    // More requests at once than a batch written on the event loop holds: the writer thread shapes these.
    const burst = 120;
    const answers = await Promise.all(
      Array.from({ length: burst }, (_, i) =>
        guest(`/api/collections/notes/records?filter=${encodeURIComponent(`title="b${i}"`)}&token=burst-secret`, {
          headers: { 'user-agent': `burst "agent" ${i}` },
        }),
      ),
    );
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await app.engine.logs.flush();
    const { items: entries } = await pb.logs.getList(1, 500, { filter: 'data.userAgent ~ "burst"' });
    expect(entries).toHaveLength(burst);
    expect(new Set(entries.map((e) => e.id)).size).toBe(burst);
    const one = entries.find((e) => e.data.userAgent === 'burst "agent" 7')!;
    expect(one.data).toMatchObject({ type: 'request', method: 'GET', status: 200, auth: '' });
    expect(one.data.url).toBe(`/api/collections/notes/records?filter=${encodeURIComponent('title="b7"')}&token=***`);
    // The message is the URL as read (percent-escapes decoded where decodeURI does).
    expect(one.message).toBe(`GET ${decodeURI(one.data.url as string)}`);
    expect(one.message).toContain('"b7"');
    expect(JSON.stringify(entries)).not.toContain('burst-secret');
  });

  it('getOne, getStats, and what is refused', async () => {
    const [latest] = await logged('');
    expect(await pb.logs.getOne(latest!.id)).toEqual(latest);
    await expect(pb.logs.getOne('nope')).rejects.toMatchObject({ status: 404 });
    const stats = await pb.logs.getStats({ filter: 'data.status >= 400' });
    expect(stats.length).toBeGreaterThan(0);
    expect(stats[0]).toEqual({
      total: expect.any(Number),
      date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:00:00$/),
    });
    const bad = await pb.logs.getList(1, 10, { filter: 'nonsense ~~ 1' }).catch((e: unknown) => e);
    expect((bad as ClientResponseError).status).toBe(400);
    expect((await guest('/api/logs')).status).toBe(401);
    expect((await guest('/api/logs/stats')).status).toBe(401);
  });

  it('are kept in pb_data/auxiliary.db, apart from the data', async () => {
    await app.engine.logs.flush();
    expect(existsSync(join(dirs.dataDir, 'auxiliary.db'))).toBe(true);
    const data = new Database(join(dirs.dataDir, 'data.db'), { readonly: true });
    try {
      expect(data.prepare("SELECT name FROM sqlite_master WHERE name = '_logs'").all()).toEqual([]);
    } finally {
      data.close();
    }
  });
});

describe('the logs settings', () => {
  it('logIP off, logAuthId on, minLevel: apply to the next requests', async () => {
    await pb.settings.update({ logs: { logIP: false, logAuthId: true } });
    await pb.collection('notes').getList(1, 1, { filter: 'title = "settings-1"' });
    const [entry] = await logged('data.url ~ "settings-1"');
    expect(entry!.data).not.toHaveProperty('userIP');
    expect(entry!.data.authId).toMatch(/^[a-z0-9]{15}$/);

    await pb.settings.update({ logs: { minLevel: 8, logIP: true, logAuthId: false } });
    await guest('/api/collections/notes/records?filter=' + encodeURIComponent('title = "settings-2"'));
    await guest('/api/collections/notes/records/settings-3-missing');
    expect(await logged('data.url ~ "settings-2"')).toHaveLength(0);
    expect(await logged('data.url ~ "settings-3"')).toHaveLength(1);
  });

  it('maxDays 0 turns logging off; old entries are deleted past maxDays', async () => {
    await pb.settings.update({ logs: { maxDays: 0, minLevel: 0 } });
    await guest('/api/collections/notes/records?filter=' + encodeURIComponent('title = "off-1"'));
    await pb.settings.update({ logs: { maxDays: 2 } });
    expect(await logged('data.url ~ "off-1"')).toHaveLength(0);
    const before = (await pb.logs.getList(1, 1)).totalItems;
    expect(before).toBeGreaterThan(0);
    // Two days later nothing written now is kept.
    expect(await app.engine.logs.deleteExpired(new Date(Date.now() + 2 * 86_400_000 + 1000))).toBeGreaterThanOrEqual(
      before,
    );
    expect((await pb.logs.getList(1, 1)).totalItems).toBeLessThanOrEqual(1);
    expect((await pb.crons.getFullList()).map((j) => j.id)).toContain('__pbLogsCleanup__');
  });

  it('app.logger lines are listed with their level and data', async () => {
    app.logger.warn('disk almost full', { freeMiB: 12 });
    app.logger.debug('not kept at minLevel 0');
    const [line] = await logged('message = "disk almost full"');
    expect(line).toMatchObject({ level: 4, data: { freeMiB: 12 } });
    expect(await logged('message ~ "not kept"')).toHaveLength(0);
  });

  it('a NUL in a logged message is stored as U+FFFD, and the line around it stays whole', async () => {
    app.logger.info('before\u0000after', { kept: 'yes' });
    const [line] = await logged('message ~ "before"');
    expect(line).toMatchObject({ level: 0, message: 'before\ufffdafter', data: { kept: 'yes' } });
    expect(line!.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('truncate empties the logs', async () => {
    await guest('/api/health');
    expect(await pb.logs.truncate()).toBe(true);
    expect((await pb.logs.getList(1, 1)).totalItems).toBe(0);
    expect((await guest('/api/logs', { method: 'DELETE' })).status).toBe(401);
  });
});
