// One better-sqlite3 connection with Satchel's pragmas and a bounded cache of prepared statements.
import { SqliteDriver, type Database, type Statement } from './driver.js';
import { mapSqliteError } from './errors.js';

/**
 * Statements are prepared once and reused; the cache is bounded because SQL text can depend on client input
 * (a filter's shape), and an unbounded cache is memory anyone can fill.
 */
const STATEMENT_CACHE_SIZE = 250;

export interface ConnectionOptions {
  readonly?: boolean;
  /** How long SQLite itself waits on a lock before answering busy (the store retries on top, asynchronously). */
  busyTimeoutMs: number;
}

export class Connection {
  readonly db: Database;
  private readonly statements = new Map<string, Statement>();

  constructor(file: string, options: ConnectionOptions) {
    this.db = new SqliteDriver(file);
    // busy_timeout first, so the pragmas that follow wait for a lock instead of failing.
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs))}`);
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('journal_size_limit = 200000000');
    }
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma('cache_size = -32000');
    if (options.readonly) this.db.pragma('query_only = ON');
  }

  /**
   * The prepared statement for `sql`. When the cache is full the oldest statement goes (first in, first out):
   * cheaper on every hit than keeping a least-recently-used order, and a hot statement that is pushed out is
   * simply prepared again.
   */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (stmt) return stmt;
    try {
      stmt = this.db.prepare(sql);
    } catch (err) {
      throw mapSqliteError(err);
    }
    if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    this.statements.set(sql, stmt);
    return stmt;
  }

  clearStatements(): void {
    this.statements.clear();
  }

  /** Cached statements, for tests that check the cache stays bounded. */
  get cachedStatements(): number {
    return this.statements.size;
  }

  close(): void {
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
