// The table from PostgreSQL's SQLSTATE codes to the store's typed errors; anything else stays an internal error.
import {
  ConstraintViolation,
  QueryRejected,
  StoreBusy,
  StoreError,
  StoreUnavailable,
  UniqueViolation,
  ValueRejected,
} from '../errors.js';

interface PgError {
  code?: string;
  detail?: string;
  message?: string;
}

/** A connection that cannot be made: refused, unknown host, wrong password, no such database. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', '28P01', '28000', '3D000']);

/** True for the errors another attempt may get past: a lock not granted in time, a serialization conflict. */
export function isBusy(err: unknown): boolean {
  const code = (err as PgError)?.code;
  return code === '55P03' || code === '40001' || code === '40P01';
}

/**
 * The column names of a unique violation's detail, `Key (name, lower(("email")::text))=(...) already exists.`:
 * expressions are reduced to the column they are about.
 */
export function uniqueColumns(detail: string | undefined): string[] {
  const m = /^Key \((.*)\)=\(/s.exec(detail ?? '');
  if (!m) return [];
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  const text = m[1]!;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts
    .map((part) => {
      const bare = part
        .replace(/::[A-Za-z ]+/g, '')
        .replace(/\s+COLLATE\s+\S+/gi, '')
        .replace(/[A-Za-z_]+\(/g, '');
      return /"?([A-Za-z_][A-Za-z0-9_]*)"?/.exec(bare)?.[1] ?? '';
    })
    .filter(Boolean);
}

/** Turns a pg error into a StoreError when its code is one callers react to; others pass through. */
export function mapPostgresError(err: unknown): unknown {
  if (err instanceof StoreError) return err;
  const e = err as PgError;
  const code = typeof e?.code === 'string' ? e.code : '';
  if (CONNECTION_CODES.has(code)) {
    return new StoreUnavailable(`cannot reach the PostgreSQL database: ${e.message ?? code}`, { cause: err });
  }
  if (code === '23505') return new UniqueViolation(uniqueColumns(e.detail), { cause: err });
  if (code.startsWith('23')) return new ConstraintViolation('a constraint refused the write', { cause: err });
  if (isBusy(err) || code === '57014') return new StoreBusy('the database is locked by another writer', { cause: err });
  if (
    code === '53100' ||
    code === '25006' ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P03' ||
    code === '53300'
  ) {
    return new StoreUnavailable('the database cannot be written', { cause: err });
  }
  if (code === '22003' || code === '22P02' || code === '22007' || code === '22008' || code === '42804') {
    return new ValueRejected('a value cannot be stored or compared', { cause: err });
  }
  if (code === '25P02') return new QueryRejected('the transaction was aborted by an earlier error', { cause: err });
  return err;
}
