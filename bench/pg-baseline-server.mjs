// The bare baseline on PostgreSQL: the least a Hono + `pg` + valibot server can do for the same record routes as
// bench/baseline-server.mjs (same routes, checks, JSON shapes and headers: baseline-common.mjs), on one `pg` Pool
// with named (prepared once per connection) statements. Run as its own process:
//   node bench/pg-baseline-server.mjs --port=PORT --db=postgres://...
// Listens on 127.0.0.1 only. Routes: GET /health, and for each table (articles, posts): POST /<table>,
// GET /<table>?page&perPage, GET /<table>/:id.
//
// It creates no tables: bench/postgres.mjs boots Satchel once on this database first, so the tables are exactly
// Satchel's own (its DDL, its hidden insertion-order column "_rowid_" and the articles index). Pages are ordered
// the way Satchel's list orders them on PostgreSQL with no sort: by that column (src/core/records/read/list-query.ts,
// postgresDialect.rowOrder). A create is one INSERT in autocommit; a page is its SELECT and COUNT(*) sent together.
import pg from 'pg';
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
const url = arg('db');
if (!Number.isInteger(port) || port <= 0 || port > 65535 || !url?.startsWith('postgres')) {
  console.error('usage: node bench/pg-baseline-server.mjs --port=PORT --db=postgres://...');
  process.exit(2);
}

// As many connections as Satchel's pool opens (src/core/db/postgres/connection.ts), so neither side gets more
// parallelism from PostgreSQL than the other.
const pool = new pg.Pool({ connectionString: url, max: 10 });
pool.on('error', (err) => console.error('a PostgreSQL connection failed:', err.message));

/** A named statement: pg prepares it once per connection and then only binds and executes it. */
const statement = (name, text) => (values) => pool.query({ name, text, values });

const articles = {
  insert: statement(
    'articles-insert',
    'INSERT INTO articles (id, title, body, email, status, created, updated) VALUES ($1, $2, $3, $4, $5, $6, $7)',
  ),
  page: statement('articles-page', `SELECT ${ARTICLE_COLUMNS} FROM articles ORDER BY "_rowid_" LIMIT $1 OFFSET $2`),
  count: statement('articles-count', 'SELECT COUNT(*) AS n FROM articles'),
  byId: statement('articles-by-id', `SELECT ${ARTICLE_COLUMNS} FROM articles WHERE id = $1`),
};
const posts = {
  insert: statement(
    'posts-insert',
    'INSERT INTO posts (id, title, views, created, updated) VALUES ($1, $2, $3, $4, $5)',
  ),
  page: statement('posts-page', `SELECT ${POST_COLUMNS} FROM posts ORDER BY "_rowid_" LIMIT $1 OFFSET $2`),
  count: statement('posts-count', 'SELECT COUNT(*) AS n FROM posts'),
  byId: statement('posts-by-id', `SELECT ${POST_COLUMNS} FROM posts WHERE id = $1`),
};

/** A list page: one SELECT … LIMIT/OFFSET and one COUNT(*) (a bigint, which pg reads as text), in parallel. */
async function listPage(c, statements, toRecord) {
  const params = pageParams(c);
  const [page, count] = await Promise.all([statements.page([params.perPage, params.offset]), statements.count([])]);
  return listAnswer(c, params, Number(count.rows[0].n), page.rows.map(toRecord));
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
  await articles.insert([id, title, text, email, status, at, at]);
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
app.get('/articles/:id', async (c) => {
  const row = (await articles.byId([c.req.param('id')])).rows[0];
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
  await posts.insert([id, title, views, at, at]);
  return c.json(
    { id, collectionId: POSTS_ID, collectionName: 'posts', created: at, updated: at, title, views },
    200,
    HEADERS,
  );
});
app.get('/posts', (c) => listPage(c, posts, postRecord));
app.get('/posts/:id', async (c) => {
  const row = (await posts.byId([c.req.param('id')])).rows[0];
  return row ? c.json(postRecord(row), 200, HEADERS) : notFound(c);
});

// Fail at start, not on the first request, when the database or Satchel's tables are not there.
await pool.query('SELECT "_rowid_" FROM articles LIMIT 1');
await pool.query('SELECT "_rowid_" FROM posts LIMIT 1');

listen(app, port, 'pg-baseline', () => pool.end());
