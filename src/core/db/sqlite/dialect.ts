// SQLite's spellings of the dialect: the only place SQLite-only SQL is written.
import { LOG_HOUR_INDEX, type ColumnSpec, type Dialect } from '../dialect.js';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A SQL literal of a column default (defaults cannot be bound parameters). */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '0';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `'${text.replaceAll("'", "''")}'`;
}

const TYPE: Record<ColumnSpec['kind'], string> = {
  text: 'TEXT',
  number: 'NUMERIC',
  bool: 'BOOLEAN',
  json: 'JSON',
  list: 'JSON',
};

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  quote,
  nullSafeEqual: 'IS',
  nullSafeNotEqual: 'IS NOT',
  like: 'LIKE',
  strftime: (args) => `strftime(${args.join(', ')})`,
  number: (expr) => expr,
  asText: (expr) => expr,

  columnType(spec) {
    // An id left out of an INSERT gets a random one, as PocketBase's tables do.
    if (spec.primaryKey) return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL";
    const nullable = spec.empty === null;
    return `${TYPE[spec.kind]} DEFAULT ${literal(spec.kind === 'list' ? '[]' : spec.empty)}${nullable ? '' : ' NOT NULL'}`;
  },

  tableColumns: [],
  param: () => '?',

  convert(expr, from, to) {
    if (from.kind !== 'list' && to.kind === 'list')
      return `CASE WHEN ${expr} = '' THEN '[]' ELSE json_array(${expr}) END`;
    if (from.kind === 'list' && to.kind !== 'list')
      return `COALESCE(json_extract(${expr}, '$[#-1]'), ${literal(to.empty)})`;
    switch (to.kind) {
      case 'number':
        return `COALESCE(CAST(${expr} AS NUMERIC), 0)`;
      case 'bool':
        return `COALESCE(${expr} IN (1, '1', 'true'), 0)`;
      case 'json':
        return `CASE WHEN json_valid(${expr}) THEN ${expr} ELSE json_quote(${expr}) END`;
      case 'list':
        return `CASE WHEN json_valid(${expr}) THEN ${expr} ELSE '[]' END`;
      default:
        return `COALESCE(CAST(${expr} AS TEXT), '')`;
    }
  },

  comparable: (expr) => expr,
  holdsValue: (expr) => `${expr} IS NOT NULL AND ${expr} NOT IN ('', 0, '[]', '{}', 'null')`,
  jsonEach: (expr) => `json_each(${expr})`,
  // Keys come from field types, never from clients; quoted as a JSON path member anyway.
  jsonExtract: (expr, key) => `json_extract(${expr}, '$.${key.replace(/[^A-Za-z0-9_]/g, '')}')`,
  jsonArrayLength: (expr) => `json_array_length(${expr})`,
  jsonPath: (expr, path) => {
    // Path steps come from filter text: only word characters stay (as PocketBase's Columnify), digits index arrays.
    const steps = path.map((p) => p.replace(/[^A-Za-z0-9_]/g, '')).map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`));
    const rest = steps.join('');
    return `(CASE WHEN json_valid(${expr}) THEN json_extract(${expr}, '$${rest}') ELSE json_extract(json_object('pb', ${expr}), '$.pb${rest}') END)`;
  },
  jsonArrayOf: (expr) =>
    `(CASE WHEN iif(json_valid(${expr}), json_type(${expr}) = 'array', FALSE) THEN ${expr} ELSE json_array(${expr}) END)`,
  caseInsensitive: (expr) => `${expr} COLLATE NOCASE`,
  rowOrder: (table) => `${table}._rowid_`,
  sortDirection: (desc) => (desc ? 'DESC' : 'ASC'),
  randomOrder: 'RANDOM()',
  indexStatement: (sql) => sql,
  indexesOf: (table) => ({
    sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL",
    params: [table],
  }),

  systemTables: [
    `CREATE TABLE IF NOT EXISTS "_collections" (
      "id"         TEXT PRIMARY KEY NOT NULL,
      "name"       TEXT UNIQUE NOT NULL COLLATE NOCASE,
      "definition" JSON NOT NULL,
      "created"    TEXT DEFAULT '' NOT NULL,
      "updated"    TEXT DEFAULT '' NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS "_params" (
      "id"      TEXT PRIMARY KEY NOT NULL,
      "value"   JSON DEFAULT NULL,
      "created" TEXT DEFAULT '' NOT NULL,
      "updated" TEXT DEFAULT '' NOT NULL
    )`,
    'CREATE TABLE IF NOT EXISTS "_sequences" ("name" TEXT PRIMARY KEY NOT NULL, "value" INTEGER NOT NULL)',
    `CREATE TABLE IF NOT EXISTS "_otps" (
      "id"            TEXT PRIMARY KEY NOT NULL,
      "collectionRef" TEXT NOT NULL,
      "recordRef"     TEXT NOT NULL,
      "password"      TEXT NOT NULL,
      "sentTo"        TEXT DEFAULT '' NOT NULL,
      "created"       TEXT DEFAULT '' NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS "_mfas" (
      "id"            TEXT PRIMARY KEY NOT NULL,
      "collectionRef" TEXT NOT NULL,
      "recordRef"     TEXT NOT NULL,
      "method"        TEXT NOT NULL,
      "created"       TEXT DEFAULT '' NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS "_authOrigins" (
      "id"            TEXT PRIMARY KEY NOT NULL,
      "collectionRef" TEXT NOT NULL,
      "recordRef"     TEXT NOT NULL,
      "fingerprint"   TEXT NOT NULL,
      "keyStamp"      TEXT DEFAULT '' NOT NULL,
      "created"       TEXT DEFAULT '' NOT NULL,
      "updated"       TEXT DEFAULT '' NOT NULL
    )`,
    'CREATE UNIQUE INDEX IF NOT EXISTS "idx_authOrigins_unique_pairs" ON "_authOrigins" ("collectionRef", "recordRef", "fingerprint")',
  ],
  auxiliaryTables: [
    `CREATE TABLE IF NOT EXISTS "_logs" (
      "id"      TEXT PRIMARY KEY NOT NULL,
      "level"   INTEGER DEFAULT 0 NOT NULL,
      "message" TEXT DEFAULT '' NOT NULL,
      "data"    JSON DEFAULT '{}' NOT NULL,
      "created" TEXT DEFAULT '' NOT NULL
    )`,
    ...LOG_HOUR_INDEX,
  ],
};
