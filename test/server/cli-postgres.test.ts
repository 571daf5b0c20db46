// `satchel serve --db=postgres://...` and SATCHEL_DB as a user meets them: the data goes to PostgreSQL, the data
// directory keeps no database file, and a wrong URL is a one-line refusal.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { cleanup, freePort, makeTempDir, runCli, startServer } from './helpers/server.js';

const posts = {
  name: 'posts',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [{ name: 'title', type: 'text', required: true }],
};

afterAll(async () => {
  await cleanup();
});

/** exit 1 and one `satchel: ` line on stderr. */
function oneLineFailure(result: { code: number | null; stderr: string }): string {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^satchel: \S/);
  return lines[0]!;
}

it('refuses a --db that is neither sqlite nor a postgres:// URL', async () => {
  const result = await runCli(['serve', `--dir=${makeTempDir()}`, '--db=mysql://root@127.0.0.1/app']);
  expect(oneLineFailure(result)).toContain('--db');
});

describePostgres('on PostgreSQL', () => {
  it('SATCHEL_DB serves the API from PostgreSQL; the data directory holds no database file', async () => {
    const db = await freshDatabase();
    const server = await startServer({ collections: [posts], env: { SATCHEL_DB: db } });
    try {
      expect(server.output()).toContain('created collection "posts"');
      const res = await fetch(`${server.url}/api/collections/posts/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'in postgres' }),
      });
      expect(res.status).toBe(200);
      expect(existsSync(join(server.dataDir, 'data.db'))).toBe(false);
    } finally {
      expect((await server.stop()).code).toBe(0);
    }
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    try {
      expect((await client.query('SELECT title FROM posts')).rows).toEqual([{ title: 'in postgres' }]);
    } finally {
      await client.end();
    }
  });

  it('a database that does not exist is a one-line refusal naming it', async () => {
    const url = new URL(await freshDatabase());
    url.pathname = '/no_such_database';
    const port = await freePort();
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${port}`,
      `--dir=${makeTempDir()}`,
      `--collections=${makeTempDir()}`,
      `--db=${url.toString()}`,
    ]);
    expect(oneLineFailure(result)).toMatch(/cannot open the database: .*no_such_database/);
  });
});
