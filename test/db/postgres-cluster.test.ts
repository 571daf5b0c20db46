// The test cluster itself: a real PostgreSQL answers on loopback, and fresh databases are apart from each other.
import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

describePostgres('the test PostgreSQL cluster', () => {
  it('answers on loopback, and a fresh database sees no table made in another', async () => {
    const first = new pg.Client({ connectionString: await freshDatabase() });
    const second = new pg.Client({ connectionString: await freshDatabase() });
    await first.connect();
    await second.connect();
    try {
      const { rows } = await first.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(130000);
      expect(first.host).toBe('127.0.0.1');
      await first.query('CREATE TABLE only_here (id text)');
      const seen = await second.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'only_here'");
      expect(seen.rows[0]?.n).toBe(0);
    } finally {
      await first.end();
      await second.end();
    }
  });
});
