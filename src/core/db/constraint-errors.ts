// The explicit table from SQLite constraint failures to client-facing field errors.
import { ApiError, type ErrorData } from '../errors.js';

interface SqliteError {
  code?: string;
  message?: string;
}

/**
 * Turns a better-sqlite3 constraint error into a 400 with field errors, or returns undefined
 * when the error is not a constraint failure (the caller rethrows it as an internal error).
 */
export function constraintToApiError(err: unknown, message: string): ApiError | undefined {
  const e = err as SqliteError;
  if (typeof e?.code !== 'string' || !e.code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  const data: ErrorData = {};
  if (e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: posts.title, posts.slug" names the columns; only their names are used.
    const cols = (e.message ?? '').split(':')[1] ?? '';
    for (const part of cols.split(',')) {
      const column = part.trim().split('.').pop();
      if (column) data[column] = { code: 'validation_not_unique', message: 'Value must be unique.' };
    }
  }
  return ApiError.badRequest(message, data);
}
