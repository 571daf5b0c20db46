// Shapes a stored row as the API returns it, leaving out what this caller may not see.
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';

export type RecordJson = Record<string, unknown>;

/** Converts a row's columns to API values (no visibility applied). */
export function rowToValues(compiled: CompiledCollection, row: Record<string, unknown>): RecordJson {
  const values: RecordJson = {};
  for (const f of compiled.fields) values[f.def.name] = f.type.fromDb(row[f.def.name], f.def);
  return values;
}

/** True when `access` is the auth record `id` of `compiled`'s collection. */
function isOwner(compiled: CompiledCollection, access: Access, id: unknown): boolean {
  return access.auth?.collectionId === compiled.collection.id && access.auth.id === id;
}

/**
 * A stored row straight to what the caller may see, without the full values in between (list pages without
 * expand): the same result as exportRecord(rowToValues(row)).
 */
export function exportRow(
  compiled: CompiledCollection,
  row: Record<string, unknown>,
  access: Access,
  managed?: ReadonlySet<string>,
): RecordJson {
  const { collection } = compiled;
  // id, created and updated are text columns: the row holds them as the API shows them.
  const out: RecordJson = {
    id: String(row.id ?? ''),
    collectionId: collection.id,
    collectionName: collection.name,
    created: String(row.created ?? ''),
    updated: String(row.updated ?? ''),
  };
  const visibility = collection.type === 'auth' ? compiled.byName.get('emailVisibility') : undefined;
  const hideEmail =
    visibility !== undefined &&
    !visibility.type.fromDb(row.emailVisibility, visibility.def) &&
    !access.superuser &&
    !isOwner(compiled, access, out.id) &&
    !managed?.has(out.id as string);
  const fields = access.superuser ? compiled.visibleFields.superuser : compiled.visibleFields.other;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const name = f.def.name;
    if (hideEmail && name === 'email') continue;
    out[name] = f.type.fromDb(row[name], f.def);
  }
  return out;
}

/**
 * The record as the caller may see it: id, collectionId, collectionName, created, updated, then the fields.
 * `managed`: ids of auth records the caller manages (their manageRule), whose e-mails it sees.
 */
export function exportRecord(
  compiled: CompiledCollection,
  values: RecordJson,
  access: Access,
  managed?: ReadonlySet<string>,
): RecordJson {
  const { collection } = compiled;
  const out: RecordJson = {
    id: values.id,
    collectionId: collection.id,
    collectionName: collection.name,
    created: values.created,
    updated: values.updated,
  };
  // An auth record's e-mail shows only to its owner, superusers, managers, or everyone when its owner made it visible.
  const hideEmail =
    collection.type === 'auth' &&
    !values.emailVisibility &&
    !access.superuser &&
    !isOwner(compiled, access, values.id) &&
    !managed?.has(values.id as string);
  for (const name of access.superuser ? compiled.visible.superuser : compiled.visible.other) {
    if (hideEmail && name === 'email') continue;
    out[name] = values[name];
  }
  return out;
}
