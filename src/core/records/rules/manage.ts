// An auth collection's manageRule: who may manage its records as a superuser would (change e-mail, verified and
// password without the old one) and see their e-mails, as PocketBase's hasAuthManageAccess grants it.
import type { Queries } from '../../db/store.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import type { RequestInfo } from '../request-info.js';
import { newRecordPasses, storedRecordPasses } from './checks.js';
import { resolveRule, ruleText, type RuleOutcome } from './resolve.js';

/**
 * The manageRule as a condition for this signed-in, non-superuser caller; undefined when nobody but superusers
 * manages (a base collection, a null or empty manageRule: PocketBase never reads an empty one as "everyone").
 */
export function manageCondition(
  catalog: Catalog,
  compiled: CompiledCollection,
  access: Access,
  request: RequestInfo,
): (RuleOutcome & { kind: 'where' }) | undefined {
  const { collection } = compiled;
  if (collection.type !== 'auth' || access.superuser || !access.auth) return undefined;
  const text = ruleText(collection, 'manageRule');
  if (text === null || text.trim() === '') return undefined;
  const outcome = resolveRule({ catalog, access, request }, collection, 'manageRule');
  return outcome.kind === 'where' ? outcome : undefined;
}

/**
 * True when the caller manages the stored record `id`. A plain false (no promise) when no manageRule applies, so
 * writes to other collections wait for nothing.
 */
export function managesStored(
  db: Queries,
  catalog: Catalog,
  compiled: CompiledCollection,
  access: Access,
  request: RequestInfo,
  id: string,
): false | Promise<boolean> {
  const condition = manageCondition(catalog, compiled, access, request);
  return condition !== undefined && storedRecordPasses(db, compiled, condition, id);
}

/** True when the caller would manage a record with these values; judged unverified, as PocketBase does. */
export function managesNew(
  db: Queries,
  catalog: Catalog,
  compiled: CompiledCollection,
  access: Access,
  request: RequestInfo,
  values: RecordJson,
): false | Promise<boolean> {
  const condition = manageCondition(catalog, compiled, access, request);
  if (!condition) return false;
  return newRecordPasses(db, compiled, condition, { ...values, verified: false }, catalog.dialect);
}

/** The ids among `ids` the caller manages (whose e-mails they see); empty when they manage none. */
export async function managedIds(
  db: Queries,
  catalog: Catalog,
  compiled: CompiledCollection,
  access: Access,
  request: RequestInfo,
  ids: string[],
): Promise<Set<string>> {
  const condition = ids.length ? manageCondition(catalog, compiled, access, request) : undefined;
  if (!condition) return new Set();
  const table = compiled.table;
  const rows = await db.all<{ id: string }>(
    `SELECT ${table}."id" AS id FROM ${table} ${condition.joins.join(' ')} WHERE ${table}."id" IN (SELECT value FROM ${catalog.dialect.jsonEach('?')}) AND (${condition.sql})`,
    [JSON.stringify(ids), ...condition.params],
  );
  return new Set(rows.map((r) => String(r.id)));
}
