// Uploads around a record's write: named before the body is applied, checked with the other fields, stored before
// the transaction (so a committed record never points at a missing file), removed again if the write fails;
// files a write replaced or removed are deleted only once it has committed, new ones again if it rolls back.
import type { ErrorData } from '../../errors.js';
import { storageKey, type FileStorage } from '../../files/storage.js';
import { sniffType } from '../../files/sniff.js';
import { thumbsFolder } from '../../files/thumbs.js';
import { isUpload, storedName, type UploadedFile } from '../../files/upload.js';
import type { Store } from '../../db/store.js';
import type { CompiledCollection, CompiledField } from '../compiled.js';
import type { RecordJson } from '../read/export.js';

const FIELD_KEY = /^\+?([A-Za-z_][A-Za-z0-9_]*)[+-]?$/;

/** The uploads of one write, by the name each will be stored under. */
export type Uploads = Map<string, { field: CompiledField; upload: UploadedFile }>;

const namesOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((x): x is string => typeof x === 'string') : value ? [String(value)] : [];

/** True when the collection has a field that holds files. */
export function hasFileFields(compiled: CompiledCollection): boolean {
  return compiled.fields.some((f) => f.type.uploads);
}

/** The storage key of a record's file. */
export function fileKey(compiled: CompiledCollection, recordId: string, name: string): string {
  return storageKey(compiled.collection.id, recordId, name);
}

/**
 * Replaces every upload in `body` by the name it will be stored under, so the body is applied like any other;
 * answers the uploads. Uploads under a key that is not a file field are dropped.
 */
export function takeUploads(
  compiled: CompiledCollection,
  body: Record<string, unknown>,
): [Record<string, unknown>, Uploads] {
  const uploads: Uploads = new Map();
  if (!hasFileFields(compiled)) return [body, uploads];
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(body)) {
    const items = Array.isArray(raw) ? raw : [raw];
    if (!items.some(isUpload)) {
      out[key] = raw;
      continue;
    }
    const field = compiled.byName.get(FIELD_KEY.exec(key)?.[1] ?? '');
    if (!field?.type.uploads || key.endsWith('-')) continue;
    const named = items.map((item) => {
      if (!isUpload(item)) return item;
      item.storedName = storedName(item.originalName);
      uploads.set(item.storedName, { field, upload: item });
      return item.storedName;
    });
    out[key] = Array.isArray(raw) ? named : named[0];
  }
  return [out, uploads];
}

/**
 * Keeps in each file field only names that are this write's uploads or files the record already has (a client
 * cannot point a record at a file it did not upload), then checks each upload that stays against its field
 * (size, type by content, empty). Errors go into `data`, one per field.
 */
export async function checkUploads(
  compiled: CompiledCollection,
  values: RecordJson,
  base: RecordJson | undefined,
  uploads: Uploads,
  data: ErrorData,
): Promise<void> {
  for (const f of compiled.fields) {
    if (!f.type.uploads) continue;
    const name = f.def.name;
    const had = new Set(namesOf(base?.[name]));
    const value = values[name];
    if (Array.isArray(value)) values[name] = value.filter((n) => uploads.has(n) || had.has(n));
    else if (typeof value === 'string' && value !== '' && !uploads.has(value) && !had.has(value)) values[name] = '';
  }
  for (const [stored, { field, upload }] of uploads) {
    const name = field.def.name;
    if (data[name] || !namesOf(values[name]).includes(stored)) continue;
    const mime = await sniffType(await upload.head());
    const problem = field.type.uploads!.check(field.def, { name: upload.originalName, size: upload.size, mime });
    if (problem) data[name] = problem;
  }
}

/** Stores the uploads the values keep; answers the keys written (for removal if the write fails). */
export async function storeUploads(
  storage: FileStorage,
  compiled: CompiledCollection,
  values: RecordJson,
  uploads: Uploads,
): Promise<string[]> {
  const written: string[] = [];
  try {
    for (const [stored, { field, upload }] of uploads) {
      if (!namesOf(values[field.def.name]).includes(stored)) continue;
      const key = fileKey(compiled, String(values.id), stored);
      // A temporary file is moved in when the storage can (no second copy of the bytes), else copied.
      const moved = upload.tempPath !== undefined && (await storage.moveIn?.(key, upload.tempPath));
      if (!moved) await storage.write(key, upload.source(), upload.size);
      written.push(key);
    }
  } catch (err) {
    await removeQuietly(storage, written);
    throw err;
  }
  return written;
}

/** The files a record had that its new values no longer name. */
export function replacedFiles(compiled: CompiledCollection, before: RecordJson, after: RecordJson): string[] {
  const keys: string[] = [];
  for (const f of compiled.fields) {
    if (!f.type.uploads) continue;
    const kept = new Set(namesOf(after[f.def.name]));
    for (const name of namesOf(before[f.def.name])) {
      if (!kept.has(name)) keys.push(fileKey(compiled, String(before.id), name));
    }
  }
  return keys;
}

/** Deletes `keys` once the transaction open in this flow commits (at once when there is none). */
export async function deleteAfterCommit(store: Store, storage: FileStorage, keys: string[]): Promise<void> {
  if (!keys.length) return;
  const tx = store.current();
  if (tx) tx.afterCommit(() => removeQuietly(storage, keys));
  else await removeQuietly(storage, keys);
}

/**
 * Files a write stored before it committed, removed again if the transaction around the write rolls back later (a
 * batch whose next request fails): the record that named them is gone then. Outside a transaction, nothing to do.
 */
export function removeOnRollback(store: Store, storage: FileStorage, keys: string[]): void {
  if (keys.length) store.current()?.afterRollback(() => removeQuietly(storage, keys));
}

/** Best effort: a file that cannot be removed is an orphan, logged, never an error for the caller. */
export async function removeQuietly(storage: FileStorage, keys: string[]): Promise<void> {
  for (const key of keys) {
    try {
      await storage.delete(key);
      await storage.deletePrefix(thumbsFolder(key));
    } catch (err) {
      console.error(`[satchel] could not remove the file ${key}:`, err);
    }
  }
}
