// The "bare baseline" for the benchmark: the least a Hono + better-sqlite3 + valibot server can do for the same
// record routes, with no framework of Satchel's on top. Run as its own process:
//   node bench/baseline-server.mjs --port=PORT --db=FILE
// Listens on 127.0.0.1 only. Routes: GET /health, and for each table (articles, posts): POST /<table>,
// GET /<table>?page&perPage, GET /<table>/:id.
//
// Lean on purpose, but doing the same work as Satchel: the same tables, columns and index (Satchel's own DDL), a
// valibot check of every create with the same limits, one prepared statement per query, records in Satchel's JSON
// shape (id, collectionId, collectionName, created, updated, then the fields, in that order). Nothing is generic:
// every route is written out for its table, as someone writing a bare server by hand would.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { serve } from '@hono/node-server';
import Database from './sqlite.mjs';
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
// The same tables and index Satchel creates from bench/fixtures.mjs (its DDL, copied from its sqlite_master).
db.exec(`
  CREATE TABLE IF NOT EXISTS "articles" ("id" TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
    "title" TEXT DEFAULT '' NOT NULL, "body" TEXT DEFAULT '' NOT NULL, "email" TEXT DEFAULT '' NOT NULL,
    "status" TEXT DEFAULT '' NOT NULL, "created" TEXT DEFAULT '' NOT NULL, "updated" TEXT DEFAULT '' NOT NULL);
  CREATE INDEX IF NOT EXISTS idx_articles_created ON articles (created);
  CREATE TABLE IF NOT EXISTS "posts" ("id" TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,
    "title" TEXT DEFAULT '' NOT NULL, "views" NUMERIC DEFAULT 0 NOT NULL, "created" TEXT DEFAULT '' NOT NULL,
    "updated" TEXT DEFAULT '' NOT NULL);
`);

/** Satchel's collection id for a base collection: `pbc_` + crc32(type + name). Same bytes in every answer. */
const collectionId = (name) => `pbc_${crc32(`base${name}`)}`;
const ARTICLES_ID = collectionId('articles');
const POSTS_ID = collectionId('posts');

// Reads select the columns by name and build the record in JS. (Selecting collectionId and collectionName as SQL
// literals instead makes better-sqlite3 create two more strings per row: about 15 µs more per 20-row page here.)
const articleColumns = 'id, created, updated, title, body, email, status';
const postColumns = 'id, created, updated, title, views';
const articleRecord = (r) => ({
  id: r.id,
  collectionId: ARTICLES_ID,
  collectionName: 'articles',
  created: r.created,
  updated: r.updated,
  title: r.title,
  body: r.body,
  email: r.email,
  status: r.status,
});
const postRecord = (r) => ({
  id: r.id,
  collectionId: POSTS_ID,
  collectionName: 'posts',
  created: r.created,
  updated: r.updated,
  title: r.title,
  views: r.views,
});
const articles = {
  insert: db.prepare(
    'INSERT INTO articles (id, title, body, email, status, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  page: db.prepare(`SELECT ${articleColumns} FROM articles ORDER BY rowid LIMIT ? OFFSET ?`),
  count: db.prepare('SELECT COUNT(*) AS n FROM articles'),
  byId: db.prepare(`SELECT ${articleColumns} FROM articles WHERE id = ?`),
};
const posts = {
  insert: db.prepare('INSERT INTO posts (id, title, views, created, updated) VALUES (?, ?, ?, ?, ?)'),
  page: db.prepare(`SELECT ${postColumns} FROM posts ORDER BY rowid LIMIT ? OFFSET ?`),
  count: db.prepare('SELECT COUNT(*) AS n FROM posts'),
  byId: db.prepare(`SELECT ${postColumns} FROM posts WHERE id = ?`),
};

// The checks of bench/fixtures.mjs's fields. Text without a max gets Satchel's default of 5000; an e-mail field
// that is not required takes '' or an address of at most 255 characters.
const ArticleInput = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  body: v.optional(v.pipe(v.string(), v.maxLength(5000)), ''),
  email: v.optional(v.union([v.pipe(v.string(), v.maxLength(255), v.email()), v.literal('')]), ''),
  status: v.pipe(v.string(), v.minLength(1), v.maxLength(5000)),
});
const PostInput = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  views: v.optional(v.number(), 0),
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

const now = () => new Date().toISOString().replace('T', ' ');

// The headers Satchel's API answers carry besides content-type and length (its security headers; CORS headers
// only go to requests with an Origin, and the benchmark sends none), so both servers send the same bytes. One
// constant object, set with the body: no middleware. The runner notes it in the report when the sets differ.
const HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
};

const MAX_BODY = 32 * 1024 * 1024; // Satchel's default body limit

/**
 * The request body parsed as JSON, read straight from Node's IncomingMessage (c.env.incoming, which
 * @hono/node-server passes to every handler). c.req.json() would do the same work through a WHATWG Request that
 * node-server builds on first use of the body (Headers, AbortController, Readable.toWeb, undici's Request and body
 * mixin); on this 2-core VM that costs about as much again as everything else a create does (see bench/README.md).
 * Resolves to undefined for a body that is not JSON or is larger than MAX_BODY.
 */
function readJson(incoming) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    incoming.on('data', (chunk) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    incoming.once('end', () => {
      if (size > MAX_BODY) return resolve(undefined);
      try {
        resolve(JSON.parse(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString()));
      } catch {
        resolve(undefined);
      }
    });
    incoming.once('error', reject);
  });
}

function intParam(text, fallback, min, max) {
  const n = Number.parseInt(text ?? '', 10);
  if (!Number.isFinite(n)) return fallback;
  return Math.min(max, Math.max(min, n));
}

const badJson = (c) => c.json({ status: 400, message: 'Invalid or too large JSON body.', data: {} }, 400);
const failed = (c) => c.json({ status: 400, message: 'Failed to create record.', data: {} }, 400);
const notFound = (c) => c.json({ status: 404, message: "The requested resource wasn't found.", data: {} }, 404);

/** A list page: one SELECT … LIMIT/OFFSET and one COUNT(*). */
function listPage(c, statements, toRecord) {
  const page = intParam(c.req.query('page'), 1, 1, 1_000_000);
  const perPage = intParam(c.req.query('perPage'), 30, 1, 1000);
  const items = statements.page.all(perPage, (page - 1) * perPage).map(toRecord);
  const { n } = statements.count.get();
  return c.json({ page, perPage, totalItems: n, totalPages: Math.ceil(n / perPage), items }, 200, HEADERS);
}

const app = new Hono();
app.onError((err, c) => {
  console.error(err);
  return c.json({ status: 500, message: 'Something went wrong.', data: {} }, 500);
});
app.notFound((c) => c.json({ status: 404, message: 'Not found.', data: {} }, 404));

app.get('/health', (c) => c.json({ code: 200, message: 'API is healthy.', data: {} }));

app.post('/articles', async (c) => {
  const body = await readJson(c.env.incoming);
  if (body === undefined) return badJson(c);
  const parsed = v.safeParse(ArticleInput, body);
  if (!parsed.success) return failed(c);
  const { title, body: text, email, status } = parsed.output;
  const id = newId();
  const at = now();
  articles.insert.run(id, title, text, email, status, at, at);
  const record = {
    id,
    collectionId: ARTICLES_ID,
    collectionName: 'articles',
    created: at,
    updated: at,
    title,
    body: text,
    email,
    status,
  };
  return c.json(record, 200, HEADERS);
});
app.get('/articles', (c) => listPage(c, articles, articleRecord));
app.get('/articles/:id', (c) => {
  const row = articles.byId.get(c.req.param('id'));
  return row ? c.json(articleRecord(row), 200, HEADERS) : notFound(c);
});

app.post('/posts', async (c) => {
  const body = await readJson(c.env.incoming);
  if (body === undefined) return badJson(c);
  const parsed = v.safeParse(PostInput, body);
  if (!parsed.success) return failed(c);
  const { title, views } = parsed.output;
  const id = newId();
  const at = now();
  posts.insert.run(id, title, views, at, at);
  return c.json(
    { id, collectionId: POSTS_ID, collectionName: 'posts', created: at, updated: at, title, views },
    200,
    HEADERS,
  );
});
app.get('/posts', (c) => listPage(c, posts, postRecord));
app.get('/posts/:id', (c) => {
  const row = posts.byId.get(c.req.param('id'));
  return row ? c.json(postRecord(row), 200, HEADERS) : notFound(c);
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
