// Request logs of a real `satchel serve`: every request answered before a graceful stop is in auxiliary.db after
// it (the batched writer hands its last rows over before the process exits).
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { cleanup, startServer } from './helpers/server.js';

afterAll(() => cleanup());

it('a SIGTERM right after a burst of requests loses none of their log lines', async () => {
  const server = await startServer({
    collections: [{ name: 'notes', listRule: '', fields: [{ name: 't', type: 'text' }] }],
  });
  const statuses = await Promise.all(
    Array.from({ length: 300 }, (_, i) =>
      fetch(`${server.url}/api/collections/notes/records?perPage=1&i=${i}`).then((r) => r.status),
    ),
  );
  expect(statuses.every((s) => s === 200)).toBe(true);
  const exit = await server.stop('SIGTERM');
  expect(exit.code).toBe(0);
  const db = new Database(join(server.dataDir, 'auxiliary.db'), { readonly: true });
  try {
    const rows = db
      .prepare(
        `SELECT COUNT(*) AS n FROM _logs WHERE json_extract(data, '$.url') LIKE '/api/collections/notes/records?perPage=1&i=%'`,
      )
      .get() as { n: number };
    expect(rows.n).toBe(300);
  } finally {
    db.close();
  }
});
