// Opening a store: SQLite (one file, embedded) is the default; PostgreSQL is chosen by a postgres:// URL.
import { join } from 'node:path';
import type { Coordination } from './coordination.js';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres/dialect.js';
import { sqliteDialect } from './sqlite/dialect.js';
import { sqliteFiles } from './sqlite/snapshot.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/store.js';
import type { Store } from './store.js';

export type { ColumnSpec, Dialect } from './dialect.js';
export type {
  Appender,
  AppenderColumn,
  Queries,
  RowShape,
  Row,
  RunResult,
  Store,
  Transaction,
  TransactionOptions,
} from './store.js';
export * from './errors.js';
export { withoutNul } from './store.js';
export { LOG_HOUR } from './dialect.js';
export { LazyStore } from './lazy-store.js';
export { localCoordination, type BusMessage, type Coordination, type MessageBus } from './coordination.js';

export interface StoreLocation {
  /** The data directory: SQLite keeps `data.db` here. */
  dataDir: string;
}

export interface StoreOptions {
  /**
   * How long a write waits for another writer (SQLite: the database's write lock; PostgreSQL: the rows or locks
   * another transaction holds) before it fails with StoreBusy (default 5 s).
   */
  busyTimeoutMs?: number;
}

/** What a check of a database file found: its tables (name -> columns), or the problem that makes it unusable. */
export type DatabaseInspection = { tables: Record<string, string[]>; problem?: undefined } | { problem: string };

/** For engines that keep the database in files of the data directory: what backups and restores need. */
export interface DatabaseFiles {
  /** The database file's name inside the data directory. */
  readonly main: string;
  /** Files beside it that belong to it (journals); moved together with it, never copied alone. */
  readonly companions: readonly string[];
  /** Writes a copy of the live database `file`, consistent as of one moment, to `target` while writes go on. */
  snapshot(file: string, target: string): Promise<void>;
  /** Opens `file` read-only and checks it (a database from an archive, before it replaces the live one). */
  inspect(file: string): Promise<DatabaseInspection>;
}

/** A database engine the record engine can run on: its dialect is known before anything is opened. */
export interface StoreEngine {
  readonly name: string;
  readonly dialect: Dialect;
  /** Present when the database lives in the data directory's files (SQLite): backups are possible. */
  readonly files?: DatabaseFiles;
  /** Opens the store (Satchel's own tables are created by `openStore`). */
  open(location: StoreLocation, options: StoreOptions): Promise<Store>;
  /** Opens the auxiliary store: request logs, written often, kept apart so they never slow the data's writes. */
  openAuxiliary(location: StoreLocation, options: StoreOptions): Promise<Store>;
  /**
   * How the Satchel processes sharing this database reach each other (bus, lock, once per cluster). Absent for an
   * engine that serves one process: the engine then uses `localCoordination()`.
   */
  coordinate?(location: StoreLocation): Promise<Coordination>;
}

/** The embedded default: one SQLite file, `<dataDir>/data.db`. */
export const sqliteEngine: StoreEngine = {
  name: 'sqlite',
  dialect: sqliteDialect,
  files: sqliteFiles,
  open: (location, options: SqliteStoreOptions) =>
    Promise.resolve(new SqliteStore(join(location.dataDir, sqliteFiles.main), options)),
  openAuxiliary: (location, options: SqliteStoreOptions) =>
    Promise.resolve(
      new SqliteStore(join(location.dataDir, 'auxiliary.db'), { ...options, backgroundCheckpoint: false }),
    ),
};

/**
 * PostgreSQL at `url` (postgres://user:pass@host:5432/name). The database is another process: there are no files
 * to snapshot (backups of the data directory do not apply). Request logs go to the same database, in their own
 * table, through a pool of their own.
 */
export function postgresEngine(url: string): StoreEngine {
  return {
    name: 'postgres',
    dialect: postgresDialect,
    // The store and the coordination are imported when opened: a server on SQLite never loads them.
    open: async (_location, options) => new (await import('./postgres/store.js')).PostgresStore(url, options),
    // Request logs are appended in batches and read by superusers only: a few connections are enough.
    openAuxiliary: async (_location, options) =>
      new (await import('./postgres/store.js')).PostgresStore(url, { ...options, poolSize: 3 }),
    // Several Satchel processes may share the database: LISTEN/NOTIFY, advisory locks, claimed rows.
    coordinate: async () => (await import('./postgres/cluster.js')).openPostgresCoordination(url),
  };
}

/** True for a database URL PostgreSQL's engine takes. */
export const isPostgresUrl = (text: string): boolean => /^postgres(ql)?:\/\//i.test(text);

/** The engine a `--db` value names: a postgres:// URL, or SQLite (the default) for `sqlite` or nothing. */
export function storeEngineFor(db: string | undefined): StoreEngine {
  if (db === undefined || db === '' || db === 'sqlite') return sqliteEngine;
  if (isPostgresUrl(db)) return postgresEngine(db);
  throw new Error(`unknown database "${db}": give a postgres://user:pass@host:5432/name URL, or sqlite`);
}

/** Opens a store on `engine` and creates Satchel's own tables when they are missing. */
export async function openStore(
  location: StoreLocation,
  options: StoreOptions = {},
  engine: StoreEngine = sqliteEngine,
  which: 'data' | 'auxiliary' = 'data',
): Promise<Store> {
  const store = await (which === 'data' ? engine.open(location, options) : engine.openAuxiliary(location, options));
  try {
    const tables = which === 'data' ? store.dialect.systemTables : store.dialect.auxiliaryTables;
    const lockName = store.dialect.concurrentWrites?.lockName;
    if (lockName) {
      // Processes starting at once would each create the same tables and functions (and collide in the catalog):
      // where writers run concurrently, the statements run in one transaction, one process after the other.
      await store.transaction(async (tx) => {
        await tx.one(lockName, ['satchel:system-tables']);
        for (const sql of tables) await tx.exec(sql);
      });
    } else {
      for (const sql of tables) await store.exec(sql);
    }
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}

export { openForeignSqlite, type ForeignDatabase } from './sqlite/foreign.js';
