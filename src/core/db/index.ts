// Opening a store: SQLite (one file, embedded) is the default and, for now, the only engine.
import { join } from 'node:path';
import type { Dialect } from './dialect.js';
import { sqliteDialect } from './sqlite/dialect.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/store.js';
import type { Store } from './store.js';

export type { ColumnSpec, Dialect } from './dialect.js';
export type { Queries, Row, RunResult, Store, Transaction } from './store.js';
export * from './errors.js';

export interface StoreLocation {
  /** The data directory: SQLite keeps `data.db` here. */
  dataDir: string;
}

/** The dialect of the store `openStore` would open, known before anything is opened. */
export function dialectFor(_location: StoreLocation): Dialect {
  return sqliteDialect;
}

/** Opens the store and creates Satchel's own tables when they are missing. */
export async function openStore(location: StoreLocation, options: SqliteStoreOptions = {}): Promise<Store> {
  const store = new SqliteStore(join(location.dataDir, 'data.db'), options);
  try {
    for (const sql of store.dialect.systemTables) await store.exec(sql);
    return store;
  } catch (err) {
    await store.close();
    throw err;
  }
}
