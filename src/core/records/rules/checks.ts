// Runs a compiled rule against one stored record, or against the values of a record about to be created.
import type { Dialect } from '../../db/dialect.js';
import type { Queries } from '../../db/store.js';
import { toRow, type CompiledCollection } from '../compiled.js';
import type { RuleOutcome } from './resolve.js';
import type { RecordJson } from '../read/export.js';

type Row = Record<string, unknown>;

/** The WHERE of "record `id`, if the rule lets it through", with the joins the rule needs. */
function ruleOnId(compiled: CompiledCollection, rule: RuleOutcome & { kind: 'where' }): string {
  return `FROM ${compiled.table} ${rule.joins.join(' ')} WHERE ${compiled.table}."id" = ? AND (${rule.sql}) LIMIT 1`;
}

/** True when the stored record `id` satisfies the rule. */
export async function storedRecordPasses(
  db: Queries,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  id: string,
): Promise<boolean> {
  if (rule.kind === 'all') return true;
  return (await db.one(`SELECT 1 AS ok ${ruleOnId(compiled, rule)}`, [id, ...rule.params])) !== undefined;
}

/**
 * The stored row `id` when it exists and satisfies the rule, in one query; undefined otherwise. (A denied record
 * and a missing one are the same 404 to the caller, so one query tells both.)
 */
export function loadPassing(
  db: Queries,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  id: string,
): Promise<Row | undefined> {
  if (rule.kind === 'all') return db.one<Row>(compiled.selectByIdSql, [id]);
  return db.one<Row>(`SELECT ${compiled.table}.* ${ruleOnId(compiled, rule)}`, [id, ...rule.params]);
}

/**
 * True when a record with these values would satisfy the rule. The values sit in a CTE that stands in
 * for the table under its own name, so the rule reads them exactly as it reads stored rows.
 */
export function newRecordPasses(
  db: Queries,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  values: RecordJson,
  dialect: Dialect,
): Promise<boolean> {
  return valuesPass(db, compiled, [rule], values, dialect);
}

/**
 * True when a record with these values satisfies every condition (a rule and a client's filter, say), whether or
 * not it is stored: a deleted record is judged by the values it had.
 */
export async function valuesPass(
  db: Queries,
  compiled: CompiledCollection,
  conditions: RuleOutcome[],
  values: RecordJson,
  dialect: Dialect,
): Promise<boolean> {
  const where = conditions.filter((c): c is RuleOutcome & { kind: 'where' } => c.kind === 'where');
  if (!where.length) return true;
  // Typed placeholders: nothing else in a SELECT list tells a strictly typed database what the values are.
  const columns = compiled.fields.map((f) => `${dialect.param(f.type.storage(f.def))} AS ${f.column}`).join(', ');
  const cte = dialect.quote(`__new_${compiled.collection.id}`);
  const joins = [...new Set(where.flatMap((c) => c.joins))].join(' ');
  const condition = where.map((c) => `(${c.sql})`).join(' AND ');
  const sql = `WITH ${cte} AS (SELECT ${columns}) SELECT 1 AS ok FROM ${cte} AS ${compiled.table} ${joins} WHERE ${condition} LIMIT 1`;
  return (await db.one(sql, [...toRow(compiled, values), ...where.flatMap((c) => c.params)])) !== undefined;
}
