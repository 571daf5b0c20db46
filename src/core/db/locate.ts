// Where a database named on the command line lives: a `postgres://` URL or an SQLite file, as an engine and a
// location the engine opens. Which engine a name means is decided here, so nothing above db/ tells engines apart.
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isPostgresUrl, postgresEngine, sqliteEngine, type StoreEngine, type StoreLocation } from './index.js';

export interface LocatedDatabase {
  engine: StoreEngine;
  /** What the engine opens. For an engine that keeps no files, `dataDir` is undefined: any folder will do. */
  location: StoreLocation | { dataDir: undefined };
  /** The database as the user would recognise it (a path, or a URL without its password). */
  label: string;
  /** For a file database: its file (to check it exists, to snapshot it). */
  file?: string;
}

/** A name that names no usable database. */
export class DatabaseNameError extends Error {}

/** A URL with its password masked, for messages. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/**
 * The database `name` means: `postgres://…` (or `postgresql://…`), else an SQLite database given as its
 * `data.db` file or the data directory holding it.
 */
export function locateDatabase(name: string): LocatedDatabase {
  if (isPostgresUrl(name)) {
    return { engine: postgresEngine(name), location: { dataDir: undefined }, label: withoutPassword(name) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(name)) {
    throw new DatabaseNameError(`${withoutPassword(name)}: not a database Satchel knows (postgres://… or a path)`);
  }
  const path = resolve(name);
  const main = sqliteEngine.files!.main;
  // A path that is not there yet names a new data directory unless it looks like a file (`name.ext`).
  const isDir = existsSync(path) ? statSync(path).isDirectory() : !basename(path).includes('.');
  if (!isDir && basename(path) !== main) {
    throw new DatabaseNameError(
      `${name}: an SQLite database is given as its ${main} file or the data directory holding it (e.g. pb_data/${main})`,
    );
  }
  const dataDir = isDir ? path : dirname(path);
  const file = join(dataDir, main);
  return { engine: sqliteEngine, location: { dataDir }, label: file, file };
}
