// What a schema change will do to the stored data, said before it is applied (the collections API's preview, the
// dashboard's review step): tables created, renamed, rebuilt or dropped, columns added, renamed or dropped (with
// how many records hold values in them), indexes recreated, rules changed. The same matching as the sync: by id,
// then by name.
import type { Dialect } from '../db/dialect.js';
import type { Queries } from '../db/store.js';
import { RULE_NAMES, type Collection } from './model.js';
import { columnSql, indexStatements } from './table-sql.js';

export type PlanAction =
  | 'create-table'
  | 'drop-table'
  | 'rename-table'
  | 'rebuild-table'
  | 'add-column'
  | 'drop-column'
  | 'rename-column'
  | 'indexes'
  | 'view'
  | 'rules'
  | 'options';

export interface PlanStep {
  action: PlanAction;
  collection: string;
  field?: string;
  /** Records holding a value that the step removes (a dropped column or table). */
  valuesLost?: number;
  /** The step in a sentence, for people. */
  text: string;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The steps that turn the collections `before` into `after`; reads only (value counts). */
export async function schemaPlan(
  db: Queries,
  dialect: Dialect,
  before: readonly Collection[],
  after: readonly Collection[],
): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  const byId = new Map(before.map((c) => [c.id, c]));
  const byName = new Map(before.map((c) => [c.name.toLowerCase(), c]));
  const matched = new Set<Collection>();
  const count = async (sql: string) => (await db.one<{ n: number }>(sql))?.n ?? 0;

  for (const next of after) {
    const old = byId.get(next.id) ?? byName.get(next.name.toLowerCase());
    if (old) matched.add(old);
    if (next.type === 'view' || old?.type === 'view') {
      if (!old || !same(old.viewQuery, next.viewQuery) || old.name !== next.name) {
        steps.push({
          action: 'view',
          collection: next.name,
          text: old ? `The view "${next.name}" is recreated from its query.` : `The view "${next.name}" is created.`,
        });
      }
      pushRules(steps, old, next);
      continue;
    }
    if (!old) {
      steps.push({
        action: 'create-table',
        collection: next.name,
        text: `A table "${next.name}" is created with ${next.fields.length} fields.`,
      });
      continue;
    }
    const table = dialect.quote(old.name);
    if (old.name !== next.name) {
      steps.push({
        action: 'rename-table',
        collection: next.name,
        text: `The table "${old.name}" is renamed to "${next.name}"; its records are kept.`,
      });
    }
    const oldById = new Map(old.fields.map((f) => [f.id, f]));
    const newIds = new Set(next.fields.map((f) => f.id));
    for (const field of old.fields) {
      if (newIds.has(field.id)) continue;
      const column = dialect.quote(field.name);
      const valuesLost = await count(`SELECT COUNT(*) AS n FROM ${table} WHERE ${dialect.holdsValue(column)}`);
      steps.push({
        action: 'drop-column',
        collection: next.name,
        field: field.name,
        valuesLost,
        text: `The field "${field.name}" is removed${valuesLost ? `: the values of ${valuesLost} record(s) are lost` : ' (no record holds a value in it)'}.`,
      });
    }
    const retyped = next.fields.filter((f) => {
      const was = oldById.get(f.id);
      return was !== undefined && columnSql(dialect, { ...was, name: f.name }) !== columnSql(dialect, f);
    });
    if (retyped.length) {
      steps.push({
        action: 'rebuild-table',
        collection: next.name,
        text: `The table "${next.name}" is rebuilt: ${retyped.map((f) => `"${f.name}"`).join(', ')} change type and their values are converted (those that cannot be become empty).`,
      });
    }
    for (const field of next.fields) {
      const was = oldById.get(field.id);
      if (!was) {
        steps.push({
          action: 'add-column',
          collection: next.name,
          field: field.name,
          text: `The field "${field.name}" (${field.type}) is added; existing records get its empty value.`,
        });
      } else if (was.name !== field.name) {
        steps.push({
          action: 'rename-column',
          collection: next.name,
          field: field.name,
          text: `The field "${was.name}" is renamed to "${field.name}"; its values are kept.`,
        });
      }
    }
    if (!same(indexStatements(dialect, old), indexStatements(dialect, next))) {
      steps.push({
        action: 'indexes',
        collection: next.name,
        text: `The indexes of "${next.name}" are recreated (${next.indexes.length} index(es)).`,
      });
    }
    pushRules(steps, old, next);
    if (!same(old.options, next.options)) {
      steps.push({ action: 'options', collection: next.name, text: `The options of "${next.name}" change.` });
    }
  }

  for (const old of before) {
    if (matched.has(old)) continue;
    if (old.type === 'view') {
      steps.push({ action: 'view', collection: old.name, text: `The view "${old.name}" is deleted.` });
      continue;
    }
    const valuesLost = await count(`SELECT COUNT(*) AS n FROM ${dialect.quote(old.name)}`);
    steps.push({
      action: 'drop-table',
      collection: old.name,
      valuesLost,
      text: `The table "${old.name}" is deleted with its ${valuesLost} record(s) and their files.`,
    });
  }
  return steps;
}

function pushRules(steps: PlanStep[], old: Collection | undefined, next: Collection): void {
  if (!old) return;
  const changed = RULE_NAMES.filter((rule) => !same(old[rule], next[rule]));
  if (changed.length) {
    steps.push({
      action: 'rules',
      collection: next.name,
      text: `The API rules ${changed.join(', ')} of "${next.name}" change (no data changes).`,
    });
  }
}
