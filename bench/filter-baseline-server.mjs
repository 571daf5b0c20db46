// The bare baseline for the filter scenario: Hono + one prepared better-sqlite3 SELECT and COUNT per route, running
// the same SQL a filtered, sorted list needs, on its own copy of the same 100k-row table. Own process:
//   node bench/filter-baseline-server.mjs --port=PORT --db=FILE
// Routes: GET /health, GET /items/:column?min=&max=  (column: views = indexed, score = not indexed).
import { serve } from '@hono/node-server';
import Database from './sqlite.mjs';
import { Hono } from 'hono';
import { arg } from './cli-arg.mjs';

const db = new Database(arg('db'));
db.pragma('journal_mode = WAL');

const statements = Object.fromEntries(
  ['views', 'score'].map((column) => [
    column,
    {
      page: db.prepare(
        `SELECT * FROM items WHERE ${column} >= ? AND ${column} < ? ORDER BY ${column} DESC, _rowid_ DESC LIMIT 20`,
      ),
      count: db.prepare(`SELECT COUNT(*) AS n FROM items WHERE ${column} >= ? AND ${column} < ?`),
    },
  ]),
);

const app = new Hono();
app.get('/health', (c) => c.json({ ok: true }));
app.get('/items/:column', (c) => {
  const s = statements[c.req.param('column')];
  if (!s) return c.json({ error: 'unknown column' }, 404);
  const min = Number(c.req.query('min'));
  const max = Number(c.req.query('max'));
  const items = s.page.all(min, max);
  const { n } = s.count.get(min, max);
  return c.json({ page: 1, perPage: 20, totalItems: n, totalPages: Math.ceil(n / 20), items });
});

const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: Number(arg('port')) });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
