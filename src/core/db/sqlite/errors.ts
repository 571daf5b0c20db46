// The table from SQLite's error codes to the store's typed errors; anything else stays an internal error.
import {
  ConstraintViolation,
  StoreBusy,
  StoreError,
  StoreUnavailable,
  UniqueViolation,
  ValueRejected,
} from '../errors.js';

interface SqliteError {
  code?: string;
  message?: string;
}

/** True for the errors a later retry may get past: another connection holds the lock. */
export function isBusy(err: unknown): boolean {
  const code = (err as SqliteError)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code?.startsWith('SQLITE_BUSY_') === true;
}

/** Turns a better-sqlite3 error into a StoreError when the code is one callers react to; others pass through. */
export function mapSqliteError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const e = err as SqliteError;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: posts.title, posts.slug": only the column names are kept.
    const columns = (e.message ?? '').split(':')[1] ?? '';
    const names = columns
      .split(',')
      .map((part) => part.trim().split('.').pop() ?? '')
      .filter(Boolean);
    return new UniqueViolation(names, { cause: err });
  }
  if (code.startsWith('SQLITE_CONSTRAINT'))
    return new ConstraintViolation('a constraint refused the write', { cause: err });
  if (isBusy(err)) return new StoreBusy('the database is locked by another writer', { cause: err });
  if (
    code === 'SQLITE_FULL' ||
    code.startsWith('SQLITE_READONLY') ||
    code === 'SQLITE_CANTOPEN' ||
    code.startsWith('SQLITE_IOERR')
  ) {
    return new StoreUnavailable('the database cannot be written', { cause: err });
  }
  if (code === 'SQLITE_MISMATCH' || code === 'SQLITE_TOOBIG' || code === 'SQLITE_RANGE') {
    return new ValueRejected('a value cannot be stored or compared', { cause: err });
  }
  return err;
}
