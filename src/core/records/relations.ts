// Relation integrity: referenced records must exist, and deleting a record updates whoever points at it.
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import { ApiError, type ErrorData } from '../errors.js';
import type { CollectionRegistry } from '../collections/registry.js';
import type { Collection } from '../collections/model.js';
import { compile, type CompiledCollection } from './compiled.js';
import type { RecordJson } from './serialize.js';

const asList = (value: unknown): string[] =>
  Array.isArray(value) ? (value as string[]) : value ? [String(value)] : [];

/** Throws a 400 naming every relation field whose ids are not all found. Runs inside the write transaction. */
export function checkRelationsExist(
  db: Database,
  registry: CollectionRegistry,
  compiled: CompiledCollection,
  values: RecordJson,
  message: string,
): void {
  const data: ErrorData = {};
  for (const f of compiled.fields) {
    if (f.def.type !== 'relation') continue;
    const ids = asList(values[f.def.name]);
    if (!ids.length) continue;
    const target = registry.find(String(f.def.collectionId));
    const found = target
      ? (
          db
            .prepare(
              `SELECT COUNT(*) AS n FROM ${quoteIdent(target.name)} WHERE "id" IN (SELECT value FROM json_each(?))`,
            )
            .get(JSON.stringify(ids)) as { n: number }
        ).n
      : 0;
    if (found !== ids.length) {
      data[f.def.name] = {
        code: 'validation_missing_rel_records',
        message: 'Failed to find all relation records with the provided ids.',
      };
    }
  }
  if (Object.keys(data).length) throw ApiError.badRequest(message, data);
}

export interface Reference {
  collection: Collection;
  field: string;
  multiple: boolean;
  required: boolean;
  cascadeDelete: boolean;
}

/** Every relation field, in any served collection, that points at `target`. */
export function referencesTo(registry: CollectionRegistry, target: Collection): Reference[] {
  const refs: Reference[] = [];
  for (const collection of registry.all()) {
    for (const f of collection.fields) {
      if (f.type !== 'relation' || f.collectionId !== target.id) continue;
      refs.push({
        collection,
        field: f.name,
        multiple: ((f.maxSelect as number | undefined) ?? 0) > 1,
        required: Boolean(f.required),
        cascadeDelete: Boolean(f.cascadeDelete),
      });
    }
  }
  return refs;
}

/** Ids of the records whose `ref` field holds `id`. */
export function referencingIds(db: Database, ref: Reference, id: string): string[] {
  const column = quoteIdent(ref.field);
  const where = ref.multiple ? `EXISTS (SELECT 1 FROM json_each(${column}) WHERE value = ?)` : `${column} = ?`;
  const rows = db.prepare(`SELECT "id" FROM ${quoteIdent(ref.collection.name)} WHERE ${where}`).all(id) as {
    id: string;
  }[];
  return rows.map((r) => r.id);
}

/** Removes `id` from the `ref` field of one referencing record; refuses when that empties a required field. */
export function detachReference(db: Database, ref: Reference, recordId: string, id: string, now: string): void {
  const table = quoteIdent(ref.collection.name);
  const column = quoteIdent(ref.field);
  const row = db.prepare(`SELECT ${column} AS v FROM ${table} WHERE "id" = ?`).get(recordId) as { v: string };
  const next = ref.multiple ? (JSON.parse(row.v) as string[]).filter((x) => x !== id) : [];
  if (ref.required && next.length === 0) {
    throw ApiError.badRequest(
      'Failed to delete record. Make sure that the record is not part of a required relation reference.',
    );
  }
  const stored = ref.multiple ? JSON.stringify(next) : '';
  // The referencing record changed: its update timestamps move, whatever they are named.
  const stamps = compile(ref.collection).stamps.update;
  const set = [column, ...stamps.map(quoteIdent)].map((c) => `${c} = ?`).join(', ');
  db.prepare(`UPDATE ${table} SET ${set} WHERE "id" = ?`).run(stored, ...stamps.map(() => now), recordId);
}
