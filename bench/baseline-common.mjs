// What the bare baselines share, whatever their database (bench/baseline-server.mjs on SQLite,
// bench/pg-baseline-server.mjs on PostgreSQL): arguments, the valibot checks of the benchmark's fields, record ids
// and timestamps, Satchel's record JSON shape and response headers, reading the body, page parameters, error answers,
// the Hono app with its health route, and listening/stopping. Only the statements differ between the two.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import * as v from 'valibot';

export const HOST = '127.0.0.1';

export { arg } from './cli-arg.mjs';

/** Satchel's collection id for a base collection: `pbc_` + crc32(type + name). Same bytes in every answer. */
const collectionId = (name) => `pbc_${crc32(`base${name}`)}`;
export const ARTICLES_ID = collectionId('articles');
export const POSTS_ID = collectionId('posts');

// Reads select the columns by name and build the record in JS. (Selecting collectionId and collectionName as SQL
// literals instead makes better-sqlite3 create two more strings per row: about 15 µs more per 20-row page here.)
export const ARTICLE_COLUMNS = 'id, created, updated, title, body, email, status';
export const POST_COLUMNS = 'id, created, updated, title, views';

/** A stored article row as Satchel's record JSON (key order included). */
export const articleRecord = (r) => ({
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

/** A stored post row as Satchel's record JSON (key order included). */
export const postRecord = (r) => ({
  id: r.id,
  collectionId: POSTS_ID,
  collectionName: 'posts',
  created: r.created,
  updated: r.updated,
  title: r.title,
  views: r.views,
});

// The checks of bench/fixtures.mjs's fields. Text without a max gets Satchel's default of 5000; an e-mail field
// that is not required takes '' or an address of at most 255 characters.
export const ArticleInput = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  body: v.optional(v.pipe(v.string(), v.maxLength(5000)), ''),
  email: v.optional(v.union([v.pipe(v.string(), v.maxLength(255), v.email()), v.literal('')]), ''),
  status: v.pipe(v.string(), v.minLength(1), v.maxLength(5000)),
});
export const PostInput = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  views: v.optional(v.number(), 0),
});

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_LENGTH = 15;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** 15 characters of [a-z0-9], like a PocketBase record id; random bytes come from a pooled randomBytes() call. */
export function newId() {
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

/** Satchel's datetime text: `2024-01-02 03:04:05.678Z`. */
export const now = () => new Date().toISOString().replace('T', ' ');

// The headers Satchel's API answers carry besides content-type and length (its security headers; CORS headers
// only go to requests with an Origin, and the benchmark sends none), so both servers send the same bytes. One
// constant object, set with the body: no middleware. The runner notes it in the report when the sets differ.
export const HEADERS = {
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
export function readJson(incoming) {
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

/** A list request's `page` and `perPage` (PocketBase's defaults and bounds), and the rows to skip. */
export function pageParams(c) {
  const page = intParam(c.req.query('page'), 1, 1, 1_000_000);
  const perPage = intParam(c.req.query('perPage'), 30, 1, 1000);
  return { page, perPage, offset: (page - 1) * perPage };
}

/** A list answer: the page of records and the total behind it. */
export function listAnswer(c, { page, perPage }, totalItems, items) {
  return c.json({ page, perPage, totalItems, totalPages: Math.ceil(totalItems / perPage), items }, 200, HEADERS);
}

export const badJson = (c) => c.json({ status: 400, message: 'Invalid or too large JSON body.', data: {} }, 400);
export const failed = (c) => c.json({ status: 400, message: 'Failed to create record.', data: {} }, 400);
export const notFound = (c) => c.json({ status: 404, message: "The requested resource wasn't found.", data: {} }, 404);

/** The Hono app every baseline starts from: error answers and GET /health. */
export function baselineApp() {
  const app = new Hono();
  app.onError((err, c) => {
    console.error(err);
    return c.json({ status: 500, message: 'Something went wrong.', data: {} }, 500);
  });
  app.notFound((c) => c.json({ status: 404, message: 'Not found.', data: {} }, 404));
  app.get('/health', (c) => c.json({ code: 200, message: 'API is healthy.', data: {} }));
  return app;
}

/** Serves `app` on 127.0.0.1:port until SIGTERM/SIGINT; `close` (may be async) releases the database first. */
export function listen(app, port, name, close) {
  const server = serve({ fetch: app.fetch, hostname: HOST, port }, (info) => {
    console.log(`${name} listening on http://${info.address}:${info.port}`);
  });
  let stopping = false;
  function shutdown() {
    if (stopping) return;
    stopping = true;
    server.close(async () => {
      await close();
      process.exit(0);
    });
    server.closeIdleConnections?.();
    setTimeout(() => process.exit(0), 3000).unref();
  }
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  return server;
}
