// The "bare baseline" for the benchmark: the least a Hono + better-sqlite3 + valibot server can do for the same
// record routes, with no framework of Satchel's on top. Run as its own process:
//   node bench/baseline-server.mjs --port=PORT --db=FILE
// Listens on 127.0.0.1 only. Routes: GET /health, and for each table (articles, posts): POST /<table>,
// GET /<table>?page&perPage, GET /<table>/:id.
//
// Lean on purpose, but doing the same work as Satchel: the same tables, columns and index (Satchel's own DDL), a
// valibot check of every create with the same limits, one prepared statement per query, records in Satchel's JSON
// shape (id, collectionId, collectionName, created, updated, then the fields, in that order). Nothing is generic:
// every route is written out for its table, as someone writing a bare server by hand would. What it shares with
// the PostgreSQL baseline (checks, ids, headers, body reading, record shapes) is in baseline-common.mjs.
import Database from './sqlite.mjs';
import * as v from 'valibot';
import {
  ARTICLE_COLUMNS,
  ARTICLES_ID,
  ArticleInput,
  arg,
  articleRecord,
  badJson,
  baselineApp,
  failed,
  HEADERS,
  listAnswer,
  listen,
  newId,
  notFound,
  now,
  pageParams,
  POST_COLUMNS,
  PostInput,
  POSTS_ID,
  postRecord,
  readJson,
} from './baseline-common.mjs';

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

const articles = {
  insert: db.prepare(
    'INSERT INTO articles (id, title, body, email, status, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?)',
  ),
  page: db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles ORDER BY rowid LIMIT ? OFFSET ?`),
  count: db.prepare('SELECT COUNT(*) AS n FROM articles'),
  byId: db.prepare(`SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = ?`),
};
const posts = {
  insert: db.prepare('INSERT INTO posts (id, title, views, created, updated) VALUES (?, ?, ?, ?, ?)'),
  page: db.prepare(`SELECT ${POST_COLUMNS} FROM posts ORDER BY rowid LIMIT ? OFFSET ?`),
  count: db.prepare('SELECT COUNT(*) AS n FROM posts'),
  byId: db.prepare(`SELECT ${POST_COLUMNS} FROM posts WHERE id = ?`),
};

/** A list page: one SELECT … LIMIT/OFFSET and one COUNT(*). */
function listPage(c, statements, toRecord) {
  const params = pageParams(c);
  const items = statements.page.all(params.perPage, params.offset).map(toRecord);
  return listAnswer(c, params, statements.count.get().n, items);
}

const app = baselineApp();

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

listen(app, port, 'baseline', () => db.close());
