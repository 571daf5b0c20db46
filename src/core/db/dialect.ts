// The SQL a storage engine spells its own way: column types, JSON arrays, ordering, introspection.
import type { FilterDialect } from '../query/dialect.js';

/**
 * How a field's value is stored. `list` is a JSON array of strings (multi select, relation, file); `json` any
 * JSON value. `empty` is the stored value of an empty field (the column default).
 */
export interface ColumnSpec {
  kind: 'text' | 'number' | 'bool' | 'json' | 'list';
  empty: unknown;
  /** The record id column. */
  primaryKey?: boolean;
}

export interface Dialect extends FilterDialect {
  readonly name: string;
  /** Quotes an identifier; names reach SQL text only through here. */
  quote(name: string): string;
  /** Column type, default and constraints for CREATE TABLE / ADD COLUMN. */
  columnType(spec: ColumnSpec): string;
  /** Columns every collection table gets besides its fields (PostgreSQL's insertion-order key; none on SQLite). */
  readonly tableColumns: readonly string[];
  /** The placeholder of a value bound as a column of `spec` where nothing else gives it a type (a SELECT list). */
  param(spec: ColumnSpec): string;
  /** An expression turning `expr`, stored as `from`, into a value of `to` (a field's type changed). */
  convert(expr: string, from: ColumnSpec, to: ColumnSpec): string;
  /**
   * A column stored as `spec` as the filter language compares and sorts it: SQLite's stored value; where JSON is
   * stored as its own type (PostgreSQL's jsonb), its text, as SQLite holds it.
   */
  comparable(expr: string, spec: ColumnSpec): string;
  /** A condition true when `expr` holds something other than an empty value. */
  holdsValue(expr: string): string;
  /** A row source (usable after FROM) with one `value` column per element of the JSON array `expr`. */
  jsonEach(expr: string): string;
  /** The member `key` of the JSON object `expr`, as a number or text. */
  jsonExtract(expr: string, key: string): string;
  /** The number of elements of the JSON array `expr`. */
  jsonArrayLength(expr: string): string;
  /**
   * The value at `path` (object keys and array indexes) inside the JSON `expr`, as SQL compares it: numbers as
   * numbers, strings as text, objects and arrays as JSON text. `expr` that is not valid JSON is read as a string.
   */
  jsonPath(expr: string, path: string[]): string;
  /** `expr` as a JSON array: itself when it is one, otherwise a one-element array of it (a single select). */
  jsonArrayOf(expr: string): string;
  /** `expr` compared without regard to ASCII case (e-mails, usernames, collection names). */
  caseInsensitive(expr: string): string;
  /** A stable per-row order key of `table` (insertion order), for tie-breaking sorts. */
  rowOrder(table: string): string;
  /** The ORDER BY direction of a sort key, with NULLs (a missing relation) first when ascending, as SQLite sorts. */
  sortDirection(desc: boolean): string;
  /** An ORDER BY term for a random order. */
  readonly randomOrder: string;
  /**
   * An index statement of a collection file, written in SQLite's spelling as PocketBase writes them (backquoted
   * names, COLLATE NOCASE), in this database's.
   */
  indexStatement(sql: string): string;
  /** A query listing the names (column `name`) of the indexes a table has, its primary key's aside. */
  indexesOf(table: string): { sql: string; params: unknown[] };
  /**
   * Where write transactions run concurrently (PostgreSQL), how a read-check-write step keeps what it checked
   * true until its transaction ends. Absent where one writer at a time already does (SQLite): nothing to add.
   */
  readonly concurrentWrites?: ConcurrentWrites;
  /** The statements that create Satchel's own tables when they are missing. */
  readonly systemTables: string[];
  /** The same for the auxiliary store (request logs), kept apart from the data. */
  readonly auxiliaryTables: string[];
}

/** Locks a transaction holds until it ends; see Dialect.concurrentWrites. */
export interface ConcurrentWrites {
  /** A clause ending a plain SELECT of one table's rows: no other transaction may change or delete them meanwhile. */
  readonly forUpdate: string;
  /** The same, against their deletion only: others may still update them, or hold them this way too. */
  readonly forKeyShare: string;
  /** A statement taking the lock named by its one parameter (text); two transactions never hold one name at once. */
  readonly lockName: string;
}

/**
 * The hour of a log line's `created` text ("2026-12-01 06"), the same SQL in every dialect: GET /api/logs/stats
 * groups by it, and its index is the only one on `_logs` besides the id (each index costs every line's insert).
 */
export const LOG_HOUR = 'substr("created", 1, 13)';

/**
 * The index on LOG_HOUR. It replaces one on `strftime(…, created)`, which cost each insert a function call (on
 * PostgreSQL a PL/pgSQL one, the largest part of a log line's cost there): dropped where an older version made it.
 */
export const LOG_HOUR_INDEX = [
  'DROP INDEX IF EXISTS "_logs_created_hour_idx"',
  `CREATE INDEX IF NOT EXISTS "_logs_hour_idx" ON "_logs" (${LOG_HOUR})`,
];
