// Reading another program's SQLite file (a PocketBase data.db to import), read-only: it is never written.
import { SqliteDriver } from './driver.js';

/** The plain reads an importer needs from a database it does not own. */
export interface ForeignDatabase {
  /** Every row of a read statement (bound parameters only). */
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): T[];
  /** The rows one at a time, so a big table is never held in memory whole. */
  iterate<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): IterableIterator<T>;
  /** The names of its tables. */
  tables(): string[];
  close(): void;
}

/** Opens `path` read-only; throws when it is missing or not an SQLite database. */
export function openForeignSqlite(path: string): ForeignDatabase {
  const db = new SqliteDriver(path, { readonly: true, fileMustExist: true });
  try {
    // Reading the schema proves the file is a database (a text file opens, then fails here).
    db.prepare('SELECT name FROM sqlite_master LIMIT 1').all();
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    all: <T>(sql: string, params: readonly unknown[] = []) => db.prepare(sql).all(...params) as T[],
    iterate: <T>(sql: string, params: readonly unknown[] = []) =>
      db.prepare(sql).iterate(...params) as IterableIterator<T>,
    tables: () =>
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (r) => r.name,
      ),
    close: () => db.close(),
  };
}
