// Runs a compiled rule against one stored record, or against the values of a record about to be created.
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import type { CompiledCollection } from './compiled.js';
import type { RuleOutcome } from './rules.js';
import type { RecordJson } from './serialize.js';

/** True when the stored record `id` satisfies the rule. */
export function storedRecordPasses(db: Database, compiled: CompiledCollection, rule: RuleOutcome, id: string): boolean {
  if (rule.kind === 'all') return true;
  const sql = `SELECT 1 FROM ${compiled.table} ${rule.joins.join(' ')} WHERE ${compiled.table}."id" = ? AND (${rule.sql}) LIMIT 1`;
  return db.prepare(sql).get(id, ...rule.params) !== undefined;
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
