// The storage boundary: what the engine asks of a database, whatever the engine underneath (SQLite, PostgreSQL).
import type { Dialect } from './dialect.js';

/** One result row: column name -> value as the driver returns it. */
export type Row = Record<string, unknown>;

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/**
 * Statements with bound parameters (`?` placeholders; every value is a parameter, never SQL text).
 * Called on the store, a read runs on a connection that never sees uncommitted writes; called on a
 * transaction, everything runs inside it.
 */
export interface Queries {
  /** The first row, or undefined. */
  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined>;
  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  run(sql: string, params?: readonly unknown[]): Promise<RunResult>;
  /** Statements without parameters, e.g. DDL; several may be separated by `;`. */
  exec(sql: string): Promise<void>;
}

/** A column of a query's result: its name, and the table column it comes straight from, if any. */
export interface ResultColumn {
  name: string;
  /** The source table and column when the result column is a plain column of a table (else null). */
  table: string | null;
  column: string | null;
  /** The source column's declared type (else null: an expression). */
  declaredType: string | null;
}

/**
 * A write transaction. It may await (hashing, a hook's fetch); reads on the store go on meanwhile and see only what
 * was committed. Whether other writers wait until it ends is the engine's: SQLite has one writer at a time;
 * PostgreSQL runs them concurrently, and a read-check-write step holds what it checked with the locks of
 * `Dialect.concurrentWrites` (or relies on a constraint, or on one atomic statement).
 */
export interface Transaction extends Queries {
  /** A nested transaction (a savepoint): its failure rolls back only its own work. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** Runs `fn` once the outermost transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void | Promise<void>): void;
  /**
   * Runs `fn` once the work done so far in this transaction is undone: when it (a savepoint) or any transaction
   * around it rolls back; never after the outermost commit. For what lives outside the database (stored files).
   */
  afterRollback(fn: () => void | Promise<void>): void;
  /**
   * The result columns of `sql` as this transaction sees the schema, without running it. Throws QueryRejected when
   * it is not one statement that only reads (a write, several statements, a pragma) or does not compile.
   */
  describeQuery(sql: string): Promise<ResultColumn[]>;
}

export interface TransactionOptions {
  /**
   * All or nothing (a batch): the caller fails the whole transaction whenever one of the transactions nested
   * directly in it fails, so those need no savepoint of their own (one per batched write saved). Deeper nesting
   * keeps its savepoints. An engine may ignore it: a savepoint is never wrong, only slower.
   */
  allOrNothing?: boolean;
}

export interface Store extends Queries {
  readonly dialect: Dialect;
  /**
   * Runs `fn` in one write transaction: committed when its promise resolves, rolled back when it rejects.
   * Called while a transaction is open in the same async flow (a hook calling back into the engine), it
   * joins it as a savepoint instead of waiting for itself.
   */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The transaction open in the current async flow, if any. */
  current(): Transaction | undefined;
  /** Forgets cached statements; called after the schema changes. */
  schemaChanged(): void;
  /**
   * Rows appended to `table` in batches, off the caller's path (request logs): `add` only queues; the rows are
   * written within a moment, in one transaction per batch, without blocking the event loop where the engine can.
   */
  appender(table: string, columns: AppenderColumn[], shape?: RowShape): Appender;
  /**
   * Runs `fn`'s reads in one consistent snapshot of the committed data, holding up no writer (copying a database
   * that is in use). Absent where the engine has another way (SQLite's file snapshot, `StoreEngine.files`).
   */
  readSnapshot?<T>(fn: (reads: Queries) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * How queued lines become rows, where the batch is written: `make()` returns the function from one line's fields
 * (as text, `null` where absent) to the columns' values. `make` must be self-contained (no imports, no outer
 * names): a writer thread receives it as source text. Without a shape, a line is the row itself.
 */
export interface RowShape {
  /** Fields per queued line. */
  fields: number;
  make: () => (fields: (string | null)[]) => unknown[];
}

export interface AppenderColumn {
  name: string;
  /** Given as epoch milliseconds, stored in the datetime format (formatted off the caller's path). */
  datetime?: boolean;
  /** Given as JSON text, stored as the JSON it holds (PostgreSQL's JSONB; SQLite keeps the text). */
  json?: boolean;
}

export interface Appender {
  /**
   * Queues one row (values in the columns' order, or the shape's fields); never throws, never waits. A text value
   * must not contain NUL (U+0000): whoever queues free text replaces it (see `withoutNul`).
   */
  add(values: unknown[]): void;
  /** Resolves once every row added so far is stored. */
  flush(): Promise<void>;
  /** Flushes, then stops. */
  close(): Promise<void>;
}

/** `text` with any NUL (U+0000) replaced by U+FFFD, as an appender's text values must be. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text;
}
