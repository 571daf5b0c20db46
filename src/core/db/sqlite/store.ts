// The SQLite store: better-sqlite3 behind the async Store interface, one writer and one reader connection.
import { AsyncLocalStorage } from 'node:async_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  Appender,
  AppenderColumn,
  Queries,
  RowShape,
  ResultColumn,
  Row,
  RunResult,
  Store,
  Transaction,
  TransactionOptions,
} from '../store.js';
import { runCallbacks, type Callback } from '../transaction-callbacks.js';
import { OpenTransaction } from '../open-transaction.js';
import { QueryRejected, StoreBusy } from '../errors.js';
import { Connection } from './connection.js';
import { sqliteDialect } from './dialect.js';
import { isBusy, mapSqliteError } from './errors.js';
import { WriteLock } from './write-lock.js';
import { WorkerAppender } from './appender.js';
import { BackgroundCheckpointer } from './checkpointer.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another process's lock before failing with StoreBusy (default 5 s). */
  busyTimeoutMs?: number;
  /** A cap on the file's size, in pages: past it writes fail as they do on a full disk (StoreUnavailable). */
  maxPageCount?: number;
  /**
   * Checkpoints on a thread of its own while writes are busy (default true). Off for the auxiliary store, whose
   * batches are written by the appender's thread anyway.
   */
  backgroundCheckpoint?: boolean;
}

/**
 * SQLite waits this long on a lock inside one call (blocking the event loop); past it the store retries
 * asynchronously, so a lock held by another process delays writes without freezing reads.
 */
const BLOCKING_WAIT_MS = 20;

const asParams = (params: readonly unknown[] | undefined) => (params ?? []) as unknown[];

/** Runs statements on one connection; the reader and an open transaction share this code. */
class ConnectionQueries implements Queries {
  constructor(protected readonly conn: Connection) {}

  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    try {
      return Promise.resolve(this.conn.prepare(sql).get(...asParams(params)) as T | undefined);
    } catch (err) {
      return Promise.reject(mapSqliteError(err));
    }
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    try {
      return Promise.resolve(this.conn.prepare(sql).all(...asParams(params)) as T[]);
    } catch (err) {
      return Promise.reject(mapSqliteError(err));
    }
  }

  run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    try {
      return Promise.resolve({ changes: this.conn.prepare(sql).run(...asParams(params)).changes });
    } catch (err) {
      return Promise.reject(mapSqliteError(err));
    }
  }

  exec(sql: string): Promise<void> {
    try {
      this.conn.db.exec(sql);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(mapSqliteError(err));
    }
  }
}

/** An open write transaction on the writer connection. */
class SqliteTransaction extends OpenTransaction {
  constructor(
    private readonly conn: Connection,
    onCommit: Callback[],
    onRollback: Callback[],
    depth = 0,
    joinsNested = false,
  ) {
    super(new ConnectionQueries(conn), onCommit, onRollback, depth, joinsNested);
  }

  protected nested(onCommit: Callback[], onRollback: Callback[], depth: number): SqliteTransaction {
    return new SqliteTransaction(this.conn, onCommit, onRollback, depth);
  }

  protected savepoint(sql: string): void {
    this.conn.prepare(sql).run();
  }

  protected mapError(err: unknown): unknown {
    return mapSqliteError(err);
  }

  describeQuery(sql: string): Promise<ResultColumn[]> {
    this.check();
    // Only a SELECT (or WITH ... SELECT): SQLite calls some pragmas readers too.
    if (!/^\s*(select|with)\b/i.test(sql)) return Promise.reject(new QueryRejected('the query must be a SELECT'));
    let statement;
    try {
      statement = this.conn.db.prepare(sql);
    } catch (err) {
      const message = (err as Error).message ?? String(err);
      return Promise.reject(new QueryRejected(message.replace(/^SqliteError: /, ''), { cause: err }));
    }
    if (!statement.reader || !statement.readonly) {
      return Promise.reject(new QueryRejected('the query must only read (one SELECT, no writes)'));
    }
    return Promise.resolve(
      statement.columns().map((c) => ({
        name: c.name,
        table: c.table ?? null,
        column: c.column ?? null,
        declaredType: c.type ?? null,
      })),
    );
  }
}

export class SqliteStore implements Store {
  readonly dialect = sqliteDialect;
  private readonly writer: Connection;
  private readonly reader: Connection;
  private readonly reads: ConnectionQueries;
  private readonly lock = new WriteLock();
  /** The transaction of the current async flow: a hook calling back into the engine joins it. */
  private readonly flow = new AsyncLocalStorage<SqliteTransaction>();
  private readonly busyTimeoutMs: number;
  private readonly checkpointer: BackgroundCheckpointer | undefined;

  constructor(
    private readonly file: string,
    options: SqliteStoreOptions = {},
  ) {
    this.busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.writer = new Connection(file, { busyTimeoutMs: BLOCKING_WAIT_MS });
    if (options.maxPageCount) this.writer.db.pragma(`max_page_count = ${Math.floor(options.maxPageCount)}`);
    // An in-memory database exists once per connection: reads then share the writer.
    this.reader = file === ':memory:' ? this.writer : new Connection(file, { readonly: true, busyTimeoutMs: 5000 });
    this.reads = new ConnectionQueries(this.reader);
    if (file !== ':memory:' && options.backgroundCheckpoint !== false) {
      this.checkpointer = new BackgroundCheckpointer(file, (pages) =>
        this.writer.db.pragma(`wal_autocheckpoint = ${pages}`),
      );
    }
  }

  current(): Transaction | undefined {
    return this.flow.getStore();
  }

  one<T = Row>(sql: string, params?: readonly unknown[]): Promise<T | undefined> {
    return (this.flow.getStore() ?? this.reads).one<T>(sql, params);
  }

  all<T = Row>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (this.flow.getStore() ?? this.reads).all<T>(sql, params);
  }

  /** A write outside a transaction: one statement is atomic by itself, so it only waits for the writer. */
  run(sql: string, params?: readonly unknown[]): Promise<RunResult> {
    const tx = this.flow.getStore();
    if (tx) return tx.run(sql, params);
    return this.withWriter(() => ({ changes: this.writer.prepare(sql).run(...asParams(params)).changes }));
  }

  exec(sql: string): Promise<void> {
    const tx = this.flow.getStore();
    if (tx) return tx.exec(sql);
    return this.withWriter(() => {
      this.writer.db.exec(sql);
    });
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const open = this.flow.getStore();
    if (open) return open.transaction(fn);
    await this.lock.acquire();
    const onCommit: Callback[] = [];
    const onRollback: Callback[] = [];
    const tx = new SqliteTransaction(this.writer, onCommit, onRollback, 0, options.allOrNothing === true);
    let result: T;
    let failure: { err: unknown } | undefined;
    try {
      await this.retryWhileBusy(() => this.writer.db.exec('BEGIN IMMEDIATE'));
      try {
        result = await this.flow.run(tx, () => fn(tx));
        this.writer.db.exec('COMMIT');
        this.checkpointer?.committed();
      } catch (err) {
        if (this.writer.db.inTransaction) this.writer.db.exec('ROLLBACK');
        failure = { err: mapSqliteError(err) };
      }
    } finally {
      tx.end();
      // Tracking async flows costs every promise something; it is only needed while a transaction is open.
      this.flow.disable();
      this.lock.release();
    }
    if (failure) {
      await runCallbacks(onRollback, 'rollback');
      throw failure.err;
    }
    await runCallbacks(onCommit);
    return result!;
  }

  schemaChanged(): void {
    this.writer.clearStatements();
    this.reader.clearStatements();
  }

  appender(table: string, columns: AppenderColumn[], shape?: RowShape): Appender {
    // The worker opens the file itself; an in-memory database has no file another connection could open.
    if (this.file === ':memory:') throw new Error('an appender needs a database file');
    return new WorkerAppender(this.file, table, columns, (sql, params) => this.run(sql, params), { shape });
  }

  /** Statements cached on both connections (bounded). */
  get cachedStatements(): number {
    return this.writer.cachedStatements + (this.reader === this.writer ? 0 : this.reader.cachedStatements);
  }

  async close(): Promise<void> {
    await this.checkpointer?.close();
    await this.lock.acquire();
    try {
      try {
        this.writer.db.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // another process may hold the WAL; closing still leaves a consistent file.
      }
      if (this.reader !== this.writer) this.reader.close();
      this.writer.close();
    } finally {
      this.lock.release();
    }
  }

  /** Runs `write` holding the writer, at once when it is free (no extra turn of the event loop). */
  private withWriter<T>(write: () => T): Promise<T> {
    if (!this.lock.tryAcquire()) return this.lock.acquire().then(() => this.retryThenRelease(write));
    let result: T;
    try {
      result = write();
    } catch (err) {
      // Another process holds the lock: keep ours and retry without blocking.
      if (isBusy(err)) return this.retryThenRelease(write);
      this.lock.release();
      return Promise.reject(mapSqliteError(err));
    }
    this.lock.release();
    this.checkpointer?.committed();
    return Promise.resolve(result);
  }

  private async retryThenRelease<T>(write: () => T): Promise<T> {
    try {
      return await this.retryWhileBusy(write);
    } finally {
      this.lock.release();
    }
  }

  /** Repeats `write` while another process holds the lock, without blocking the event loop, up to the timeout. */
  private async retryWhileBusy<T>(write: () => T): Promise<T> {
    const deadline = Date.now() + this.busyTimeoutMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      try {
        return write();
      } catch (err) {
        if (!isBusy(err)) throw mapSqliteError(err);
        if (Date.now() >= deadline) throw new StoreBusy('the database is locked by another writer', { cause: err });
      }
      await sleep(delay);
    }
  }
}
