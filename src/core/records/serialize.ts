// Shapes a stored row as the API returns it, leaving out what this caller may not see.
import type { Access } from './access.js';
import type { CompiledCollection } from './compiled.js';

export type RecordJson = Record<string, unknown>;

const LEADING = ['id', 'collectionId', 'collectionName', 'created', 'updated'];

/** Converts a row's columns to API values (no visibility applied). */
export function rowToValues(compiled: CompiledCollection, row: Record<string, unknown>): RecordJson {
  const values: RecordJson = {};
  for (const f of compiled.fields) values[f.def.name] = f.type.fromDb(row[f.def.name], f.def);
  return values;
}

/** The record as the caller may see it: id, collectionId, collectionName, created, updated, then the fields. */
export function exportRecord(compiled: CompiledCollection, values: RecordJson, access: Access): RecordJson {
  const { collection } = compiled;
  const out: RecordJson = {
    id: values.id,
    collectionId: collection.id,
    collectionName: collection.name,
    created: values.created,
    updated: values.updated,
  };
  const isOwner = access.auth?.collectionId === collection.id && access.auth.id === values.id;
  for (const f of compiled.fields) {
    const name = f.def.name;
    if (LEADING.includes(name) || f.type.alwaysHidden || name === 'tokenKey') continue;
    if (f.def.hidden && !access.superuser) continue;
    if (collection.type === 'auth' && name === 'email' && !values.emailVisibility && !access.superuser && !isOwner) {
      continue;
    }
    out[name] = values[name];
  }
  return out;
}
