// The "bare baseline" for the benchmark: the least a Hono + better-sqlite3 + valibot server can do for the same
// posts routes, with no framework of Satchel's on top. Run as its own process:
//   node bench/baseline-server.mjs --port=PORT --db=FILE
// Listens on 127.0.0.1 only. Routes: GET /health, POST /posts, GET /posts?page&perPage, GET /posts/:id.
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import * as v from 'valibot';

const HOST = '127.0.0.1';

function arg(name) {
  const prefix = `--${name}=`;
  const found = process.argv.find((a) => a.startsWith(prefix));
  return found ? found.slice(prefix.length) : undefined;
}

const port = Number(arg('port'));
const dbFile = arg('db');
if (!Number.isInteger(port) || port <= 0 || port > 65535 || !dbFile) {
  console.error('usage: node bench/baseline-server.mjs --port=PORT --db=FILE');
  process.exit(2);
}

const db = new Database(dbFile);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec(
  'CREATE TABLE IF NOT EXISTS posts (id TEXT PRIMARY KEY, title TEXT, views NUMERIC, created TEXT, updated TEXT)',
);

const insertPost = db.prepare('INSERT INTO posts (id, title, views, created, updated) VALUES (?, ?, ?, ?, ?)');
const selectPage = db.prepare('SELECT id, title, views, created, updated FROM posts ORDER BY rowid LIMIT ? OFFSET ?');
const countPosts = db.prepare('SELECT COUNT(*) AS n FROM posts');
const selectById = db.prepare('SELECT id, title, views, created, updated FROM posts WHERE id = ?');

const PostInput = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  views: v.optional(v.number()),
});

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 15;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** 15 characters of [a-z0-9], like a PocketBase record id; random bytes come from a pooled randomBytes() call. */
function newId() {
  let id = '';
  while (id.length < ID_LENGTH) {
    if (poolAt >= pool.length) {
      pool = randomBytes(4096);
      poolAt = 0;
    }
    const byte = pool[poolAt++];
    // 252 = 7 * 36: dropping 252..255 keeps every character equally likely.
    if (byte < 252) id += ID_ALPHABET[byte % 36];
  }
  return id;
}

/** A row as the API returns it, in roughly PocketBase's record shape. */
function toRecord(row) {
  return {
    id: row.id,
    collectionId: 'baseline_posts',
    collectionName: 'posts',
    created: row.created,
    updated: row.updated,
    title: row.title,
    views: row.views,
  };
}

function intParam(text, fallback, min, max) {
  const n = Number.parseInt(text ?? '', 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

const app = new Hono();
app.onError((err, c) => {
  console.error(err);
  return c.json({ status: 500, message: 'Something went wrong.', data: {} }, 500);
});
app.notFound((c) => c.json({ status: 404, message: 'Not found.', data: {} }, 404));

app.get('/health', (c) => c.json({ code: 200, message: 'API is healthy.', data: {} }));

app.post('/posts', async (c) => {
  let body;
  try {
    body = await c.req.json();
  } catch {
    return c.json({ status: 400, message: 'Invalid JSON body.', data: {} }, 400);
  }
  const parsed = v.safeParse(PostInput, body);
  if (!parsed.success) return c.json({ status: 400, message: 'Failed to create record.', data: {} }, 400);
  const now = new Date().toISOString().replace('T', ' ');
  const row = { id: newId(), title: parsed.output.title, views: parsed.output.views ?? 0, created: now, updated: now };
  insertPost.run(row.id, row.title, row.views, row.created, row.updated);
  return c.json(toRecord(row));
});

app.get('/posts', (c) => {
  const page = intParam(c.req.query('page'), 1, 1, 1_000_000);
  const perPage = intParam(c.req.query('perPage'), 30, 1, 1000);
  const items = selectPage.all(perPage, (page - 1) * perPage).map(toRecord);
  const { n } = countPosts.get();
  return c.json({ page, perPage, totalItems: n, totalPages: Math.ceil(n / perPage), items });
});

app.get('/posts/:id', (c) => {
  const row = selectById.get(c.req.param('id'));
  if (!row) return c.json({ status: 404, message: "The requested resource wasn't found.", data: {} }, 404);
  return c.json(toRecord(row));
});

const server = serve({ fetch: app.fetch, hostname: HOST, port }, (info) => {
  console.log(`baseline listening on http://${info.address}:${info.port}`);
});

let stopping = false;
function shutdown() {
  if (stopping) return;
  stopping = true;
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeIdleConnections?.();
  setTimeout(() => process.exit(0), 3000).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
