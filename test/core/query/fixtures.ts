// Test fixtures: a fake FieldResolver over a tiny posts/users schema and an in-memory SQLite db.

import { SqliteDriver } from '../../../src/core/db/sqlite/driver.js';
import type { Database } from '../../../src/core/db/sqlite/driver.js';
import { sqliteDialect } from '../../../src/core/db/sqlite/dialect.js';
import {
  buildFilter,
  FilterError,
  type CompileOptions,
  type FieldResolver,
  type ResolvedIdentifier,
} from '../../../src/core/query/index.js';

const AUTHOR_JOIN = 'LEFT JOIN "users" AS "posts_author" ON "posts_author"."id" = "posts"."author"';
const JTAGS_JOIN = 'LEFT JOIN json_each("posts"."tags") AS "__je_tags"';
const EDITORS_EACH =
  '(SELECT "u"."name" AS value FROM json_each("posts"."editors") AS je LEFT JOIN "users" AS "u" ON "u"."id" = je.value)';

/** Fixed identifier table; the resolver never builds SQL from user text. */
const FIELDS: Record<string, ResolvedIdentifier> = {
  id: { sql: '"posts"."id"', params: [] },
  title: { sql: '"posts"."title"', params: [] },
  'title:lower': { sql: 'LOWER("posts"."title")', params: [] },
  views: { sql: '"posts"."views"', params: [] },
  published: { sql: '"posts"."published"', params: [] },
  created: { sql: '"posts"."created"', params: [] },
  author: { sql: '"posts"."author"', params: [] },
  tags: { sql: '"posts"."tags"', params: [] },
  'tags:length': { sql: 'json_array_length("posts"."tags")', params: [] },
  'tags:each': {
    sql: '"posts"."tags"',
    params: [],
    multiple: { eachSql: 'json_each("posts"."tags")', eachParams: [] },
  },
  'jtags:each': {
    sql: '"__je_tags"."value"',
    params: [],
    joins: [JTAGS_JOIN],
    multiple: { eachSql: 'json_each("posts"."tags")', eachParams: [], joined: true },
  },
  'author.name': { sql: '"posts_author"."name"', params: [], joins: [AUTHOR_JOIN] },
  'author.email': {
    sql: '"posts_author"."email"',
    params: [],
    joins: [AUTHOR_JOIN],
    guard: { sql: '"posts_author"."emailVisibility" = 1', params: [] },
  },
  'editors.name': { sql: '"posts"."editors"', params: [], multiple: { eachSql: EDITORS_EACH, eachParams: [] } },
  data: { sql: `json_extract("posts"."data", '$')`, params: [], noNullFallback: true },
};

/** Every SQL fragment the fake resolver can hand out (for the hostile-input check). */
export const RESOLVER_SQL: string[] = [
  ...new Set(
    Object.values(FIELDS).flatMap((f) => [f.sql, ...(f.joins ?? []), f.multiple?.eachSql ?? '', f.guard?.sql ?? '']),
  ),
].filter(Boolean);

/** A resolver for `posts`; `authId` plays `@request.auth.id` ('' for guests). */
export function fakeResolver(authId = ''): FieldResolver {
  return {
    dialect: sqliteDialect,
    resolve(name: string): ResolvedIdentifier {
      if (name === '@request.auth.id') return { sql: '?', params: [authId] };
      if (name === '@request.query.q') return { sql: '?', params: ['hello'] };
      const field = Object.hasOwn(FIELDS, name) ? FIELDS[name] : undefined;
      if (!field) throw new FilterError(`Invalid filter: unknown field ${JSON.stringify(name.slice(0, 40))}.`);
      return field;
    },
  };
}

/** Creates the in-memory database with a handful of rows. */
export function createDb(): Database {
  const db = new SqliteDriver(':memory:');
  db.exec(`
    CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT, email TEXT, emailVisibility INTEGER);
    CREATE TABLE posts (id TEXT PRIMARY KEY, title TEXT, views NUMERIC, published INTEGER, created TEXT,
      author TEXT, tags JSON, editors JSON, data JSON);
    INSERT INTO users VALUES ('u1', 'Ann', 'ann@x.io', 1), ('u2', 'Bob', 'bob@x.io', 0);
    INSERT INTO posts VALUES
      ('p1', 'Hello World', 10, 1, '2024-01-15 10:00:00.000Z', 'u1', '["a","b"]', '["u1","u2"]', '{"x":1}'),
      ('p2', 'hello_there', 5, 0, '2023-06-01 08:30:00.000Z', 'u2', '["a"]', '["u1"]', NULL),
      ('p3', '', 0, 0, '', '', '[]', '[]', '"str"'),
      ('p4', NULL, NULL, NULL, NULL, 'u3', '["c"]', '["u9"]', 'null'),
      ('p5', '100% sure', 100, 1, '2024-12-31 23:59:59.999Z', 'u1', '["a","a"]', '["u2","u9"]', '[1,2]');
  `);
  return db;
}

/** Compiles `filter` and returns the matching post ids, sorted. */
export function query(db: Database, filter: string, resolver = fakeResolver(), options: CompileOptions = {}): string[] {
  const { sql, params, joins } = buildFilter(filter, resolver, options);
  const rows = db
    .prepare(`SELECT DISTINCT "posts"."id" AS id FROM "posts" ${joins.join(' ')} WHERE ${sql} ORDER BY "posts"."id"`)
    .all(...(params as unknown[])) as Array<{ id: string }>;
  return rows.map((r) => r.id);
}
