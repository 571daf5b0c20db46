// The PostgreSQL appender sends a batch as one JSON parameter that the database unpacks into the table's row type:
// every row arrives whole and in order, text exactly as queued (quotes, backslashes, non-ASCII; a lone surrogate as
// U+FFFD), JSON columns as JSON, NULLs as NULL, datetimes formatted.
import { afterEach, expect, it } from 'vitest';
import { openStore, postgresEngine, type Store } from '../../src/core/db/index.js';
import { tempDirs, type TempDirs } from '../helpers/temp-app.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

let dirs: TempDirs | undefined;
let store: Store | undefined;

afterEach(async () => {
  await store?.close();
  dirs?.remove();
  store = undefined;
});

describePostgres('PostgreSQL appender', () => {
  it('stores a big batch whole, in order, with every kind of value as queued', async () => {
    dirs = tempDirs();
    store = await openStore({ dataDir: dirs.dataDir }, {}, postgresEngine(await freshDatabase('append')), 'auxiliary');
    const appender = store.appender('_logs', [
      { name: 'id' },
      { name: 'level' },
      { name: 'message' },
      { name: 'data', json: true },
      { name: 'created', datetime: true },
    ]);
    const at = Date.UTC(2026, 11, 1, 7, 0, 0, 250);
    const texts = ['plain', 'quote " and \\ backslash', 'é 🎉 日本', 'tab\tnew\nline', 'lone \ud800 surrogate'];
    for (let i = 0; i < 3000; i++) {
      const text = texts[i % texts.length]!;
      appender.add([`r${String(i).padStart(14, '0')}`, i % 9, text, JSON.stringify({ i, text, none: null }), at + i]);
    }
    await appender.flush();
    // The store reads JSONB back as its text, as SQLite keeps it: parsed here to compare.
    const rows = (
      await store.all<{ id: string; level: number; message: string; data: string; created: string }>(
        'SELECT id, level, message, data, created, jsonb_typeof(data) AS kind FROM "_logs" ORDER BY id',
      )
    ).map((row) => ({ ...row, data: JSON.parse(row.data) as unknown }));
    expect(rows).toHaveLength(3000);
    for (const i of [0, 1, 2, 3, 4, 2999]) {
      const text = texts[i % texts.length]!.replace('\ud800', '\ufffd');
      expect(rows[i]).toEqual({
        id: `r${String(i).padStart(14, '0')}`,
        level: i % 9,
        message: text,
        data: { i, text, none: null },
        created: new Date(at + i).toISOString().replace('T', ' '),
        kind: 'object',
      });
    }
    await appender.close();
  });
});
