// Reference integrity: referenced records must exist; deleting a record settles whoever points at it.
import type { Queries } from '../../db/store.js';
import { ApiError, type ErrorData } from '../../errors.js';
import type { Catalog, Reference } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : value ? [String(value)] : [];

/**
 * Throws a 400 naming every reference field whose ids are not all found. Runs inside the write transaction; where
 * writers run concurrently, the records found stay locked against deletion until it ends (a delete settles the
 * references it finds: it waits for this write to commit, then finds this record too).
 */
export async function checkReferencesExist(
  db: Queries,
  catalog: Catalog,
  compiled: CompiledCollection,
  values: RecordJson,
  message: string,
): Promise<void> {
  const data: ErrorData = {};
  const each = catalog.dialect.jsonEach('?');
  const lock = catalog.dialect.concurrentWrites?.forKeyShare;
  for (const field of compiled.references) {
    const ids = asList(values[field.def.name]);
    if (!ids.length) continue;
    const target = catalog.targetOf(field);
    let found = 0;
    if (target) {
      const table = catalog.compiled(target).table;
      const rows = `SELECT "id" FROM ${table} WHERE "id" IN (SELECT value FROM ${each})`;
      // A row lock cannot go with an aggregate: the locked rows are counted around it.
      const sql = lock
        ? `SELECT COUNT(*) AS n FROM (${rows} ${lock}) AS "found"`
        : `SELECT COUNT(*) AS n FROM ${table} WHERE "id" IN (SELECT value FROM ${each})`;
      found = (await db.one<{ n: number }>(sql, [JSON.stringify(ids)]))?.n ?? 0;
    }
    if (found !== new Set(ids).size) {
      data[field.def.name] = {
        code: 'validation_missing_rel_records',
        message: 'Failed to find all relation records with the provided ids.',
      };
    }
  }
  if (Object.keys(data).length) throw ApiError.badRequest(message, data);
}

/** Ids of the records whose `ref` field holds `id`. */
export async function referencingIds(db: Queries, catalog: Catalog, ref: Reference, id: string): Promise<string[]> {
  const { dialect } = catalog;
  const column = ref.field.column;
  const where = ref.field.multiple
    ? `EXISTS (SELECT 1 FROM ${dialect.jsonEach(column)} WHERE value = ?)`
    : `${column} = ?`;
  const rows = await db.all<{ id: string }>(
    `SELECT "id" FROM ${catalog.compiled(ref.collection).table} WHERE ${where}`,
    [id],
  );
  return rows.map((r) => r.id);
}

/** The value of `ref`'s field once `id` is taken out of it; refuses when that empties a required field. */
export function detachedValue(ref: Reference, current: unknown, id: string): unknown {
  const next = asList(current).filter((x) => x !== id);
  if (ref.required && next.length === 0) {
    throw ApiError.badRequest(
      'Failed to delete record. Make sure that the record is not part of a required relation reference.',
    );
  }
  return ref.field.multiple ? next : '';
}
