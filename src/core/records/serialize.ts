// Shapes a stored row as the API returns it, leaving out what this caller may not see.
import type { Access } from './access.js';
import type { CompiledCollection } from './compiled.js';

export type RecordJson = Record<string, unknown>;

const LEADING = new Set(['id', 'collectionId', 'collectionName', 'created', 'updated']);

/** The fields after the leading ones that a superuser (`true`) or anyone else (`false`) may see, in order. */
const visibleCache = new WeakMap<CompiledCollection, Map<boolean, string[]>>();

function visibleFields(compiled: CompiledCollection, superuser: boolean): string[] {
  let bySuperuser = visibleCache.get(compiled);
  if (!bySuperuser) visibleCache.set(compiled, (bySuperuser = new Map()));
  let names = bySuperuser.get(superuser);
  if (!names) {
    names = compiled.fields
      .filter((f) => !LEADING.has(f.def.name) && !f.type.alwaysHidden && f.def.name !== 'tokenKey')
      .filter((f) => superuser || !f.def.hidden)
      .map((f) => f.def.name);
    bySuperuser.set(superuser, names);
  }
  return names;
}

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
  // An auth record's e-mail shows only to its owner, superusers, or everyone when its owner made it visible.
  const hideEmail =
    collection.type === 'auth' &&
    !values.emailVisibility &&
    !access.superuser &&
    !(access.auth?.collectionId === collection.id && access.auth.id === values.id);
  for (const name of visibleFields(compiled, access.superuser)) {
    if (hideEmail && name === 'email') continue;
    out[name] = values[name];
  }
  return out;
}
