// The pg pool as the store uses it: values read back in the shapes the SQLite driver gives them.
import type pg from 'pg';
import { pgDriver } from './driver.js';

/** JSON stays text (the engine parses it, as it does SQLite's); 64-bit integers and numerics become numbers. */
const TEXT_TYPES = new Set([114, 3802]);
const NUMBER_TYPES = new Set([20, 1700]);

const types = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (TEXT_TYPES.has(oid)) return (value: string) => value;
    if (NUMBER_TYPES.has(oid)) return (value: string) => Number(value);
    return pgDriver().types.getTypeParser(oid, (format ?? 'text') as 'text') as (value: string) => unknown;
  },
} as pg.CustomTypesConfig;

export interface PoolOptions {
  /** Connections at most: reads and write transactions run in parallel on them. */
  max?: number;
  /**
   * How long a statement waits for a lock another transaction holds (a row being written, a table being altered)
   * before it fails with 55P03, which the store reports as StoreBusy (default: no limit).
   */
  lockTimeoutMs?: number;
}

/** A pool on `url`, its sessions in UTC (the engine's datetimes are UTC text). */
export function openPool(url: string, options: PoolOptions = {}): pg.Pool {
  const lockTimeout =
    options.lockTimeoutMs === undefined ? '' : ` -c lock_timeout=${Math.max(1, Math.floor(options.lockTimeoutMs))}`;
  const pool = new (pgDriver().Pool)({
    connectionString: url,
    max: options.max ?? 10,
    types,
    options: `-c TimeZone=UTC -c client_min_messages=warning${lockTimeout}`,
  });
  // An idle connection the server dropped: the pool replaces it; the error must not end the process.
  pool.on('error', (err) => console.error('[satchel] a PostgreSQL connection failed:', err.message));
  return pool;
}
