// Owns what is measured: the list, view and create requests on each benchmark collection (articles: 4 fields and an
// index, the headline; posts: 2 fields), their create bodies, seeding through a server's own create route, and the
// pre-flight check that a server answers those routes with the expected record shape.
import { httpJson } from './children.mjs';
import { runLoad } from './load.mjs';

export const LIST_PER_PAGE = 20;

/** A few hundred characters of ordinary prose (a handful of them non-ASCII, as user text has). */
const ARTICLE_TEXT =
  'Satchel keeps a whole backend in one process and one SQLite file. This article is a stand-in for what people ' +
  'actually post: a few paragraphs of plain text, an address to reply to, a status. The body is long enough that ' +
  'per-character work shows up, and short enough to be typical of a comment, a note or a café review — the kind ' +
  'of record a small app writes all day. Nothing here is special; that is the point of the benchmark.';

/**
 * The collections the scenarios run on, headline first. `createBody` is sent as is, except that every `[<id>]` is
 * replaced by one fresh value per request (see load.mjs), so every title (and e-mail) differs. `fields` is the
 * record's key order after id, collectionId, collectionName, created, updated.
 */
export const BENCH_COLLECTIONS = [
  {
    name: 'articles',
    summary: '4 fields (title text 1–200 required, body text ≤ 5000, email, status text required), index on created',
    fields: ['title', 'body', 'email', 'status'],
    createBody: JSON.stringify({
      title: 'Bench article [<id>]',
      body: ARTICLE_TEXT,
      email: 'reader-[<id>]@example.com',
      status: 'published',
    }),
    sample: { title: 'sanity', body: 'short body', email: 'sanity@example.com', status: 'draft' },
  },
  {
    name: 'posts',
    summary: '2 fields (title text ≤ 200 required, views number), no index',
    fields: ['title', 'views'],
    createBody: '{"title":"bench post [<id>]","views":7}',
    sample: { title: 'sanity', views: 1 },
  },
];

const RECORD_KEYS = ['id', 'collectionId', 'collectionName', 'created', 'updated'];

/**
 * The scenarios, in the order they run: every list and view first, the creates last, so list and view see the same
 * row count on both servers. Each has a name (`<collection>-<op>`), its op and its collection; `request(server, ctx)`
 * gives { method, path, body? }; ctx.viewIds[collection][server.name] is the id to fetch.
 */
export function scenarioList(seedRows) {
  const rows = seedRows.toLocaleString('en-US');
  const reads = BENCH_COLLECTIONS.flatMap((col) => [
    {
      name: `${col.name}-list`,
      op: 'list',
      collection: col.name,
      description: `${col.name}: ${col.summary}. GET the list route, page 1, perPage=${LIST_PER_PAGE}, over ~${rows} rows (baseline: one SELECT … LIMIT/OFFSET and one COUNT(*) per request).`,
      request: (s) => ({ method: 'GET', path: s.routes.list(col.name, 1, LIST_PER_PAGE) }),
    },
    {
      name: `${col.name}-view`,
      op: 'view',
      collection: col.name,
      description: `${col.name}: ${col.summary}. GET one seeded record by id (the same id for the whole run, from the middle of the table).`,
      request: (s, ctx) => ({ method: 'GET', path: s.routes.view(col.name, ctx.viewIds[col.name][s.name]) }),
    },
  ]);
  const creates = BENCH_COLLECTIONS.map((col) => ({
    name: `${col.name}-create`,
    op: 'create',
    collection: col.name,
    description: `${col.name}: ${col.summary}. POST the JSON body \`${abbreviate(col.createBody)}\` (${Buffer.byteLength(col.createBody)} bytes before the replacement), with \`[<id>]\` replaced by a fresh value per request.`,
    request: (s) => ({ method: 'POST', path: s.routes.create(col.name), body: col.createBody }),
  }));
  return [...reads, ...creates];
}

/** The scenarios `wanted` names: each entry is a scenario name (`articles-create`), an op (`create`) or a collection (`articles`). */
export function selectScenarios(all, wanted) {
  const unknown = wanted.filter((w) => !all.some((s) => s.name === w || s.op === w || s.collection === w));
  if (unknown.length) {
    const names = [...new Set(all.flatMap((s) => [s.name, s.op, s.collection]))];
    throw new Error(`unknown scenario(s): ${unknown.join(', ')} (one of ${names.join(', ')})`);
  }
  return all.filter((s) => wanted.includes(s.name) || wanted.includes(s.op) || wanted.includes(s.collection));
}

/** The collections a set of scenarios runs on, in BENCH_COLLECTIONS order. */
export function collectionsOf(scenarios) {
  return BENCH_COLLECTIONS.filter((col) => scenarios.some((s) => s.collection === col.name));
}

function abbreviate(body) {
  return body.replace(/("body":")([^"]{40})[^"]*"/, '$1$2…"');
}

/** Response headers that differ per response or per server implementation, left out when headers are compared. */
const VARYING_HEADERS = new Set(['date', 'content-length', 'connection', 'keep-alive']);

/**
 * Checks a server answers create, view and list on every collection with the expected record shape (keys and their
 * order) before anything is measured. Returns the sorted names of the headers on its view answer (for comparing the
 * two servers: the baseline copies Satchel's).
 */
export async function sanityCheck(server) {
  let headerNames = [];
  for (const col of BENCH_COLLECTIONS) {
    const expectedKeys = [...RECORD_KEYS, ...col.fields].join(',');
    const where = `${server.label} ${col.name}`;
    const created = await httpJson(server.port, 'POST', server.routes.create(col.name), col.sample);
    if (created.status !== 200 || Object.keys(created.json ?? {}).join(',') !== expectedKeys) {
      throw new Error(`${where}: create answered ${created.status} ${JSON.stringify(created.json)}`);
    }
    for (const [key, value] of Object.entries(col.sample)) {
      if (created.json[key] !== value) throw new Error(`${where}: create answered ${key}=${created.json[key]}`);
    }
    const viewed = await httpJson(server.port, 'GET', server.routes.view(col.name, created.json.id));
    if (viewed.status !== 200 || JSON.stringify(viewed.json) !== JSON.stringify(created.json)) {
      throw new Error(`${where}: view answered ${viewed.status} ${JSON.stringify(viewed.json)}`);
    }
    headerNames = Object.keys(viewed.headers)
      .filter((h) => !VARYING_HEADERS.has(h))
      .sort();
    const listed = await httpJson(server.port, 'GET', server.routes.list(col.name, 1, LIST_PER_PAGE));
    const item = listed.json?.items?.[0];
    if (
      listed.status !== 200 ||
      typeof listed.json.totalItems !== 'number' ||
      Object.keys(item ?? {}).join(',') !== expectedKeys
    ) {
      throw new Error(`${where}: list answered ${listed.status} ${JSON.stringify(listed.json).slice(0, 300)}`);
    }
  }
  return headerNames;
}

/** Inserts `rows` records into `col` through the server's own create route; returns { rows (total now listed), created, reqPerSec }. */
export async function seed(server, col, rows, connections) {
  const r = await runLoad({
    url: server.baseUrl + server.routes.create(col.name),
    method: 'POST',
    body: col.createBody,
    amount: rows,
    connections,
    hardLimitSeconds: 300,
  });
  if (r.non2xx || r.errors || r.timeouts) {
    throw new Error(
      `${server.label} ${col.name}: seeding had ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  const listed = await httpJson(server.port, 'GET', server.routes.list(col.name, 1, 1));
  return { rows: listed.json.totalItems, created: r.totalRequests, reqPerSec: r.reqPerSec };
}

/** One id from the middle of `col`'s table. */
export async function middleId(server, col, totalRows) {
  const page = Math.max(1, Math.floor(totalRows / 2 / LIST_PER_PAGE));
  const listed = await httpJson(server.port, 'GET', server.routes.list(col.name, page, LIST_PER_PAGE));
  const id = listed.json?.items?.[0]?.id;
  if (typeof id !== 'string') throw new Error(`${server.label} ${col.name}: no id on list page ${page}`);
  return id;
}
