// GET /api/logs/stats counts per hour through the one index on `_logs` besides the id, on both engines; a log store
// made by an older version (an index on strftime(created)) is moved to it when opened.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, postgresEngine, sqliteEngine, type Store, type StoreEngine } from '../../src/core/db/index.js';
import { Logs } from '../../src/core/logs/logs.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

const SETTINGS = { maxDays: 7, minLevel: 0, logIP: true, logAuthId: true };
const dirs: string[] = [];
const stores: Store[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'satchel-log-stats-'));
  dirs.push(dir);
  return dir;
}

async function logsOn(engine: StoreEngine, dataDir = tempDir()): Promise<{ logs: Logs; store: Store }> {
  const store = await openStore({ dataDir }, {}, engine, 'auxiliary');
  stores.push(store);
  return { logs: new Logs(store, () => SETTINGS), store };
}

async function addLine(store: Store, id: string, created: string, status: number): Promise<void> {
  await store.run('INSERT INTO "_logs" ("id", "level", "message", "data", "created") VALUES (?, ?, ?, ?, ?)', [
    id,
    status >= 400 ? 8 : 0,
    `GET /api/x/${id}`,
    JSON.stringify({ type: 'request', status }),
    created,
  ]);
}

function statsScenario(engine: () => Promise<StoreEngine>) {
  it('counts lines per hour, oldest first, with or without a filter', async () => {
    const { logs, store } = await logsOn(await engine());
    await addLine(store, 'a00000000000001', '2026-11-30 23:59:59.999Z', 200);
    await addLine(store, 'a00000000000002', '2026-12-01 06:00:00.000Z', 200);
    await addLine(store, 'a00000000000003', '2026-12-01 06:59:59.999Z', 404);
    await addLine(store, 'a00000000000004', '2026-12-01 05:10:00.000Z', 500);
    expect(await logs.stats()).toEqual([
      { total: 1, date: '2026-11-30 23:00:00' },
      { total: 1, date: '2026-12-01 05:00:00' },
      { total: 2, date: '2026-12-01 06:00:00' },
    ]);
    expect(await logs.stats('data.status >= 400')).toEqual([
      { total: 1, date: '2026-12-01 05:00:00' },
      { total: 1, date: '2026-12-01 06:00:00' },
    ]);
    expect(await logs.stats('data.status = 201')).toEqual([]);
  });
}

describe('log stats on SQLite', () => {
  statsScenario(() => Promise.resolve(sqliteEngine));

  it('moves a log store made with the older strftime index to the hour index, keeping its lines', async () => {
    const dataDir = tempDir();
    const old = new Database(join(dataDir, 'auxiliary.db'));
    old.exec(`CREATE TABLE "_logs" ("id" TEXT PRIMARY KEY NOT NULL, "level" INTEGER DEFAULT 0 NOT NULL,
      "message" TEXT DEFAULT '' NOT NULL, "data" JSON DEFAULT '{}' NOT NULL, "created" TEXT DEFAULT '' NOT NULL)`);
    old.exec(`CREATE INDEX "_logs_created_hour_idx" ON "_logs" (strftime('%Y-%m-%d %H:00:00', "created"))`);
    old.prepare(`INSERT INTO "_logs" VALUES ('b00000000000001', 0, 'GET /', '{}', '2026-12-01 07:30:00.000Z')`).run();
    old.close();
    const { logs, store } = await logsOn(sqliteEngine, dataDir);
    const indexes = await store.all<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '_logs' AND sql IS NOT NULL`,
    );
    expect(indexes.map((i) => i.name)).toEqual(['_logs_hour_idx']);
    expect(await logs.stats()).toEqual([{ total: 1, date: '2026-12-01 07:00:00' }]);
    const plan = await store.all<{ detail: string }>(
      `EXPLAIN QUERY PLAN SELECT COUNT(*) FROM "_logs" GROUP BY substr("created", 1, 13)`,
    );
    expect(plan.map((p) => p.detail).join(' ')).toContain('_logs_hour_idx');
  });
});

describePostgres('log stats on PostgreSQL', () => {
  statsScenario(async () => postgresEngine(await freshDatabase('logstats')));

  it('keeps the hour index only, on an expression with no function of ours', async () => {
    const { store } = await logsOn(postgresEngine(await freshDatabase('logstats')));
    const indexes = await store.all<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '_logs' AND indexname <> '_logs_pkey'`,
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['_logs_hour_idx']);
    expect(indexes[0]!.indexdef).not.toContain('satchel_strftime');
  });
});
