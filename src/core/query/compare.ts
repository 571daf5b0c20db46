// Owns the SQL for one scalar comparison: `=`/`!=` null handling, LIKE wrapping/escaping, ordering ops.

import type { Operator } from './ast.js';
import type { FilterDialect } from './dialect.js';
import type { MultiValueSource, SqlFragment } from './resolver.js';

/** How `=`/`!=` treat ''/NULL for an operand (PocketBase's NullFallbackPreference). */
export type NullFallback = 'auto' | 'disabled' | 'enforced';

/** A compiled operand: SQL, its params, and the flags the comparison logic needs. */
export interface Value extends SqlFragment {
  nullFallback: NullFallback;
  multiple?: MultiValueSource | undefined;
  /** Conditions ANDed onto any comparison using this value. */
  guards: SqlFragment[];
}

const EMPTY_SQL = new Set(['', 'null', "''", '""', '``']);
const BOOL_SQL = new Set(['1', '0', 'true', 'false']);

const isEmptyParam = (p: unknown): boolean => p === null || p === undefined || p === '';
const isEmptySql = (v: Value): boolean => EMPTY_SQL.has(v.sql.trim().toLowerCase());

/** An operand known to be ''/NULL: the NULL literal, or a single ''/null parameter. */
function isEmptyValue(v: Value): boolean {
  return isEmptySql(v) || (v.nullFallback === 'auto' && v.params.length === 1 && isEmptyParam(v.params[0]));
}

/** An operand known to be non-empty: a boolean or a bound value that is neither '' nor null. */
function isKnownNonEmpty(v: Value): boolean {
  if (v.nullFallback === 'enforced') return false;
  if (BOOL_SQL.has(v.sql.trim().toLowerCase())) return true;
  return v.params.length > 0 && !v.params.some(isEmptyParam) && !isEmptySql(v);
}

const frag = (sql: string, ...parts: SqlFragment[]): SqlFragment => ({ sql, params: parts.flatMap((p) => p.params) });
const EMPTY_STRING: SqlFragment = { sql: "''", params: [] };

/**
 * `=` / `!=` with PocketBase's ''/NULL equivalence:
 * `a = ''` -> `(a = '' OR a IS NULL)`, `a != ''` -> `(a IS NOT '' AND a IS NOT NULL)`,
 * a known non-empty side -> direct compare, otherwise `COALESCE(a, '') = COALESCE(b, '')`.
 * `!=` is always `IS NOT`. Operands with fallback disabled use plain `IS` / `IS NOT`.
 */
function equality(dialect: FilterDialect, equal: boolean, l: Value, r: Value): SqlFragment {
  const eqOp = equal ? '=' : dialect.nullSafeNotEqual;
  if (l.nullFallback === 'disabled' || r.nullFallback === 'disabled') {
    return frag(`${l.sql} ${equal ? dialect.nullSafeEqual : dialect.nullSafeNotEqual} ${r.sql}`, l, r);
  }
  const lEmpty = isEmptyValue(l);
  const rEmpty = isEmptyValue(r);
  if (lEmpty && rEmpty) return frag(`'' ${eqOp} ''`);
  if (isKnownNonEmpty(l) || isKnownNonEmpty(r)) {
    const a = lEmpty ? EMPTY_STRING : l;
    const b = rEmpty ? EMPTY_STRING : r;
    return frag(`${a.sql} ${eqOp} ${b.sql}`, a, b);
  }
  const [join, nullTest] = equal ? ['OR', 'IS NULL'] : ['AND', 'IS NOT NULL'];
  const text = dialect.asText;
  if (lEmpty) return frag(`('' ${eqOp} ${text(r.sql)} ${join} ${r.sql} ${nullTest})`, r, r);
  if (rEmpty) return frag(`(${text(l.sql)} ${eqOp} '' ${join} ${l.sql} ${nullTest})`, l, l);
  return frag(`COALESCE(${text(l.sql)}, '') ${eqOp} COALESCE(${text(r.sql)}, '')`, l, r);
}

/**
 * `~` / `!~`: a right side without params (a column) becomes `a LIKE ('%' || b || '%')`;
 * otherwise every right param is wrapped in `%...%` (with `\ % _` escaped) unless it already
 * contains an unescaped `%`. ESCAPE is always `'\'`.
 */
function like(dialect: FilterDialect, not: boolean, l: Value, r: Value): SqlFragment {
  const op = not ? `NOT ${dialect.like}` : dialect.like;
  const left = dialect.asText(l.sql);
  if (r.params.length === 0) return frag(`${left} ${op} ('%' || ${r.sql} || '%') ESCAPE '\\'`, l);
  return { sql: `${left} ${op} ${r.sql} ESCAPE '\\'`, params: [...l.params, ...r.params.map(wrapLikeParam)] };
}

/** Wraps a LIKE parameter as `%value%` with escaping, unless the user supplied their own `%`. */
export function wrapLikeParam(value: unknown): string {
  const text =
    value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return containsUnescaped(text, '%') ? text : `%${escapeUnescaped(text)}%`;
}

/** True when `ch` occurs in `text` without a preceding (unescaped) backslash. */
function containsUnescaped(text: string, ch: string): boolean {
  let prev = '';
  for (const c of text) {
    if (c === ch && prev !== '\\') return true;
    prev = c === '\\' && prev === '\\' ? '' : c;
  }
  return false;
}

/** Prefixes `\`, `%` and `_` with a backslash unless already preceded by one (scans right to left like PocketBase). */
function escapeUnescaped(text: string): string {
  const chars = [...text];
  const out: string[] = [];
  let pending = false;
  for (let i = chars.length - 1; i >= 0; i--) {
    const c = chars[i]!;
    if (pending) {
      if (c !== '\\') out.push('\\');
      pending = false;
    } else {
      pending = c === '\\' || c === '%' || c === '_';
    }
    out.push(c);
    if (i === 0 && pending) out.push('\\');
  }
  return out.reverse().join('');
}

/** Builds the SQL of `left op right` for single values (`?` prefix ignored; see multi.ts for sets). */
export function compareScalar(dialect: FilterDialect, l: Value, op: Operator, r: Value): SqlFragment {
  const base = op.startsWith('?') ? op.slice(1) : op;
  switch (base) {
    case '=':
      return equality(dialect, true, l, r);
    case '!=':
      return equality(dialect, false, l, r);
    case '~':
      return like(dialect, false, l, r);
    case '!~':
      return like(dialect, true, l, r);
    default:
      return frag(`${l.sql} ${base} ${r.sql}`, l, r);
  }
}
