// Runs a compiled rule against one stored record, or against the values of a record about to be created.
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import type { CompiledCollection } from './compiled.js';
import type { RuleOutcome } from './rules.js';
import type { RecordJson } from './serialize.js';

/** The WHERE of "record `id`, if the rule lets it through", with the joins the rule needs. */
function ruleOnId(compiled: CompiledCollection, rule: RuleOutcome & { kind: 'where' }): string {
  return `FROM ${compiled.table} ${rule.joins.join(' ')} WHERE ${compiled.table}."id" = ? AND (${rule.sql}) LIMIT 1`;
}

/** True when the stored record `id` satisfies the rule. */
export function storedRecordPasses(db: Database, compiled: CompiledCollection, rule: RuleOutcome, id: string): boolean {
  if (rule.kind === 'all') return true;
  return db.prepare(`SELECT 1 ${ruleOnId(compiled, rule)}`).get(id, ...rule.params) !== undefined;
}

/**
 * The stored row `id` when it exists and satisfies the rule, in one query; undefined otherwise. (A denied record
 * and a missing one are the same 404 to the caller, so one query tells both.)
 */
export function loadPassing(
  db: Database,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  id: string,
): Record<string, unknown> | undefined {
  if (rule.kind === 'all') return db.prepare(compiled.selectByIdSql).get(id) as Record<string, unknown> | undefined;
  const sql = `SELECT ${compiled.table}.* ${ruleOnId(compiled, rule)}`;
  return db.prepare(sql).get(id, ...rule.params) as Record<string, unknown> | undefined;
}

/**
 * True when a record with these values would satisfy the rule. The values sit in a CTE that stands in
 * for the table under its own name, so the rule reads them exactly as it reads stored rows.
 */
export function newRecordPasses(
  db: Database,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  values: RecordJson,
): boolean {
  if (rule.kind === 'all') return true;
  const columns = compiled.fields.map((f) => `? AS ${f.column}`).join(', ');
  const row = compiled.fields.map((f) => f.type.toDb(values[f.def.name], f.def));
  const cte = quoteIdent(`__new_${compiled.collection.id}`);
  const sql = `WITH ${cte} AS (SELECT ${columns}) SELECT 1 FROM ${cte} AS ${compiled.table} ${rule.joins.join(' ')} WHERE (${rule.sql}) LIMIT 1`;
  return db.prepare(sql).get(...row, ...rule.params) !== undefined;
}
