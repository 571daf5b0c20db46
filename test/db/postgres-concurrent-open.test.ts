// Satchel processes starting at the same moment on one fresh PostgreSQL database each open a data store and an
// auxiliary store, whose first statements create the same SQL functions and collation: none of them may fail.
// (Before the fix, nearly every round failed one with "tuple concurrently updated" or a unique violation on
// pg_proc / pg_collation, and `satchel serve` exited 1.)
import { expect, it } from 'vitest';
import { openStore, postgresEngine } from '../../src/core/db/index.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

describePostgres('stores opened at once on a fresh PostgreSQL database', () => {
  it('two processes (a data and an auxiliary store each) all open, and the functions work', async () => {
    for (let round = 0; round < 5; round++) {
      const engine = postgresEngine(await freshDatabase('concurrent_open'));
      const location = { dataDir: '/nonexistent' };
      const opened = await Promise.allSettled(
        (['data', 'auxiliary', 'data', 'auxiliary'] as const).map((which) => openStore(location, {}, engine, which)),
      );
      const stores = opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      try {
        expect(opened.map((r) => (r.status === 'rejected' ? String(r.reason) : 'open'))).toEqual([
          'open',
          'open',
          'open',
          'open',
        ]);
        expect(await stores[0]!.one("SELECT satchel_strftime('%Y', '2026-12-01 03:00:00') AS y")).toEqual({
          y: '2026',
        });
      } finally {
        for (const store of stores) await store.close();
      }
    }
  });
});
