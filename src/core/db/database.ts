// Opens the SQLite file with Satchel's pragmas and caches prepared statements.
import BetterSqlite3 from 'better-sqlite3';
import type { Database as SqliteDatabase, Statement } from 'better-sqlite3';

/** The engine's handle on one SQLite file: a connection plus a statement cache. */
export class Database {
  readonly raw: SqliteDatabase;
  private readonly statements = new Map<string, Statement>();

  constructor(file: string) {
    this.raw = new BetterSqlite3(file);
    // busy_timeout first, so the pragmas that follow wait for a lock instead of failing.
    this.raw.pragma('busy_timeout = 10000');
    this.raw.pragma('journal_mode = WAL');
    this.raw.pragma('journal_size_limit = 200000000');
    this.raw.pragma('synchronous = NORMAL');
    this.raw.pragma('foreign_keys = ON');
    this.raw.pragma('temp_store = MEMORY');
    this.raw.pragma('cache_size = -32000');
  }

  /** A prepared statement for `sql`, prepared once and reused. */
  prepare(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.raw.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Runs fn in an IMMEDIATE transaction (a savepoint when nested). fn must not await. */
  transaction<T>(fn: () => T): T {
    return this.raw.transaction(fn).immediate();
  }

  /** Forgets cached statements; called after the schema changes. */
  clearStatements(): void {
    this.statements.clear();
  }

  close(): void {
    this.statements.clear();
    if (this.raw.open) {
      try {
        this.raw.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // another connection may hold the WAL; closing still leaves a consistent file.
      }
      this.raw.close();
    }
  }
}
