// Owns any-of / all-of semantics for comparisons involving multi-valued operands.

import type { Operator } from './ast.js';
import { compareScalar, type Value } from './compare.js';
import type { FilterDialect } from './dialect.js';
import type { MultiValueSource, SqlFragment } from './resolver.js';

/** Produces fresh subquery aliases (`__m1`, `__m2`, ...), unique within one compiled filter. */
export type AliasFactory = () => string;

/** `FROM` item listing the elements of `m`, or a single NULL row when there are none (LEFT JOIN semantics). */
function elementsOrNull(m: MultiValueSource, alias: string): SqlFragment {
  return {
    // Every row source named: PostgreSQL (before 16) refuses a subquery in FROM without an alias.
    sql: `(SELECT value FROM ${m.eachSql} AS ${alias}a UNION ALL SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM ${m.eachSql} AS ${alias}b)) AS ${alias}`,
    params: [...m.eachParams, ...m.eachParams],
  };
}

/** Replaces a multi-valued operand by its per-element `alias.value`, registering its FROM item. */
function perElement(v: Value, alias: string, from: SqlFragment, sources: SqlFragment[]): Value {
  sources.push(from);
  return { ...v, sql: `${alias}.value`, params: [], multiple: undefined };
}

/** "Some element matches": EXISTS over non-joined sets, a plain comparison over joined ones. */
function anyOf(dialect: FilterDialect, l: Value, op: Operator, r: Value, nextAlias: AliasFactory): SqlFragment {
  const sources: SqlFragment[] = [];
  const element = (v: Value): Value => {
    if (!v.multiple || v.multiple.joined) return v;
    const alias = nextAlias();
    return perElement(v, alias, elementsOrNull(v.multiple, alias), sources);
  };
  const left = element(l);
  const right = element(r);
  const cond = compareScalar(dialect, left, op, right);
  if (sources.length === 0) return cond;
  return {
    sql: `EXISTS (SELECT 1 FROM ${sources.map((s) => s.sql).join(', ')} WHERE ${cond.sql})`,
    params: [...sources.flatMap((s) => s.params), ...cond.params],
  };
}

/** "No element fails": NOT EXISTS over every multi-valued operand's elements. */
function noneFails(dialect: FilterDialect, l: Value, op: Operator, r: Value, nextAlias: AliasFactory): SqlFragment {
  const sources: SqlFragment[] = [];
  const both = Boolean(l.multiple && r.multiple);
  const element = (v: Value): Value => {
    if (!v.multiple) return v;
    const alias = nextAlias();
    const from = both
      ? elementsOrNull(v.multiple, alias)
      : { sql: `${v.multiple.eachSql} AS ${alias}`, params: v.multiple.eachParams };
    return perElement(v, alias, from, sources);
  };
  const left = element(l);
  const right = element(r);
  const cond = compareScalar(dialect, left, op, right);
  return {
    sql: `NOT EXISTS (SELECT 1 FROM ${sources.map((s) => s.sql).join(', ')} WHERE NOT (${cond.sql}))`,
    params: [...sources.flatMap((s) => s.params), ...cond.params],
  };
}

/**
 * Compiles `left op right` where either side may be multi-valued.
 * `?`-operators: any element matches. Plain operators: any element matches AND none fails
 * (PocketBase's match-all). An empty set acts as a single NULL element, as in PocketBase.
 */
export function compareValues(
  dialect: FilterDialect,
  l: Value,
  op: Operator,
  r: Value,
  nextAlias: AliasFactory,
): SqlFragment {
  if (!l.multiple && !r.multiple) return compareScalar(dialect, l, op, r);
  const any = anyOf(dialect, l, op, r, nextAlias);
  if (op.startsWith('?')) return any;
  const all = noneFails(dialect, l, op, r, nextAlias);
  return { sql: `(${any.sql} AND ${all.sql})`, params: [...any.params, ...all.params] };
}
