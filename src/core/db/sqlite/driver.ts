// better-sqlite3 in the version that runs on this Node.js: 13 (N-API, prebuilt in the package) on Node 22 and
// later, where 12's statements can crash the process when the garbage collector finalizes them (Node 24);
// 12 on Node 20, where 13 does not run. Both have the same API.
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const require = createRequire(import.meta.url);
const major = Number(process.versions.node.split('.')[0]);

const DRIVER_PACKAGE = major >= 22 ? 'better-sqlite3-13' : 'better-sqlite3';

/** The driver's Database constructor. */
export const SqliteDriver: typeof BetterSqlite3 = require(DRIVER_PACKAGE) as typeof BetterSqlite3;

/** The same driver by path, for worker threads (backups, the log appender), which have no module context of ours. */
export const DRIVER_PATH = require.resolve(DRIVER_PACKAGE);

export type { Database, Statement } from 'better-sqlite3';
