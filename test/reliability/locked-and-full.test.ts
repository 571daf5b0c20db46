// A database another process keeps locked, and one that is full: clear errors, never a hang, nothing half-written.
import { SqliteDriver as Database } from '../../src/core/db/sqlite/driver.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sqliteEngine, type StoreEngine } from '../../src/core/db/index.js';
import { SqliteStore } from '../../src/core/db/sqlite/store.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { ApiError } from '../../src/core/errors.js';
import { GUEST, SUPERUSER } from '../../src/core/records/index.js';
import { send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp, tempDirs, type TempDirs } from '../helpers/temp-app.js';

const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] };

describe('a database another process keeps locked', () => {
  it('writes wait up to the busy timeout, then answer 503; reads go on; writes resume after', async () => {
    const { app, dirs, cleanup } = await tempApp([notes], { rateLimit: false, busyTimeoutMs: 400 });
    const other = new Database(join(dirs.dataDir, 'data.db'));
    try {
      await send(app, { method: 'POST', url: '/api/collections/notes/records', body: { text: 'before' } });
      other.exec('BEGIN IMMEDIATE');
      const started = Date.now();
      const write = await send(app, { method: 'POST', url: '/api/collections/notes/records', body: { text: 'x' } });
      const waited = Date.now() - started;
      expect(write.status).toBe(503);
      expect(await write.json()).toMatchObject({
        status: 503,
        message: 'The database is busy; try again in a moment.',
      });
      expect(waited).toBeGreaterThanOrEqual(350);
      expect(waited).toBeLessThan(3000);
      // While the lock is held, reads are answered without waiting for it.
      const readStarted = Date.now();
      const read = await send(app, { url: '/api/collections/notes/records' });
      expect(read.status).toBe(200);
      expect(Date.now() - readStarted).toBeLessThan(300);
      other.exec('ROLLBACK');
      const after = await send(app, { method: 'POST', url: '/api/collections/notes/records', body: { text: 'after' } });
      expect(after.status).toBe(200);
      expect(((await (await send(app, { url: '/api/collections/notes/records' })).json()) as any).totalItems).toBe(2);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await cleanup();
    }
  });
});

describe('a full database', () => {
  let engine: Engine;
  let dirs: TempDirs;
  afterEach(async () => {
    await engine?.close();
    dirs?.remove();
  });

  it('refuses the write that does not fit with a 503, keeps every earlier record, and the file stays sound', async () => {
    dirs = tempDirs();
    dirs.writeCollection(notes);
    dirs.writeCollection({
      name: 'replies',
      ...OPEN_RULES,
      fields: [
        { name: 'text', type: 'text' },
        { name: 'note', type: 'relation', collectionId: 'notes', maxSelect: 1, cascadeDelete: true },
      ],
    });
    // As a disk that fills up: the file may not grow past a few hundred pages.
    const tight: StoreEngine = {
      ...sqliteEngine,
      open: async (location, options) =>
        new SqliteStore(join(location.dataDir, 'data.db'), { ...options, maxPageCount: 120 }),
    };
    engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, storeEngine: tight });
    const kept: string[] = [];
    let refusal: unknown;
    for (let i = 0; i < 1000 && !refusal; i++) {
      try {
        const note = await engine.records.create('notes', { text: `${i} ${'x'.repeat(3000)}` }, GUEST);
        kept.push(String(note.id));
      } catch (err) {
        refusal = err;
      }
    }
    expect(refusal).toBeInstanceOf(ApiError);
    expect(refusal).toMatchObject({ status: 503, message: 'The database cannot take writes right now.' });
    expect(kept.length).toBeGreaterThan(5);
    const listed = await engine.records.list('notes', { perPage: 1000 }, SUPERUSER);
    expect(listed.items.map((n) => n.id).sort()).toEqual([...kept].sort());
    // Freeing space lets writes in again.
    for (const id of kept.slice(0, 5)) await engine.records.delete('notes', id, SUPERUSER);
    await expect(engine.records.create('notes', { text: 'fits again' }, GUEST)).resolves.toMatchObject({
      text: 'fits again',
    });
    await engine.close();
    const db = new Database(join(dirs.dataDir, 'data.db'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
