// SQLite's checkpoint (copying the write-ahead log back into the database file) runs on a thread of its own while
// writes are busy, instead of inside one unlucky commit on the event loop; a quiet store checkpoints as SQLite does.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/core/db/sqlite/store.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Commits `count` transactions of one 2 KB row each, with a turn of the event loop between (as requests come). */
async function burst(store: SqliteStore, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    await store.transaction((tx) => tx.run('INSERT INTO items (id, blob) VALUES (?, ?)', [i, 'x'.repeat(2048)]));
    await turn();
  }
}

describe('background checkpoints (SQLite)', () => {
  it('copy a busy moment of commits into the database file without waiting for 1000 pages of log', async () => {
    dir = mkdtempSync(join(tmpdir(), 'satchel-checkpoint-'));
    const file = join(dir, 'data.db');
    const store = new SqliteStore(file);
    await store.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, blob TEXT)');
    const before = statSync(file).size;
    // ~200 pages of log: far below the 1000 that would make the writer checkpoint by itself.
    await burst(store, 200);
    let grown = false;
    for (let i = 0; i < 50 && !grown; i++) {
      await sleep(50);
      grown = statSync(file).size > before + 100 * 2048;
    }
    expect(grown).toBe(true);
    await burst(store, 50, 200);
    await store.close();
    // Everything committed is there, and the file is sound.
    const check = new Database(file, { readonly: true });
    try {
      expect(check.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 250 });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      check.close();
    }
  });

  it('leave a quiet store (a few commits) to SQLite’s own checkpoints, with no thread started', async () => {
    dir = mkdtempSync(join(tmpdir(), 'satchel-checkpoint-'));
    const file = join(dir, 'data.db');
    const store = new SqliteStore(file);
    await store.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, blob TEXT)');
    const before = statSync(file).size;
    await burst(store, 2);
    await sleep(300);
    expect(statSync(file).size).toBe(before);
    await store.close();
  });
});
