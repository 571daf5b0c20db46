// Loads every collection file of a directory and checks them against each other.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DefinitionError } from '../errors.js';
import { typeOf } from '../fields/index.js';
import type { Collection } from './model.js';
import { normalizeCollection } from './normalize.js';
import { parseIndex } from './indexes.js';

/** One collection file as read: where it is, its text and its parsed JSON. */
export interface CollectionFileEntry {
  file: string;
  text: string;
  json: unknown;
}

/** Reads `<dir>/*.json` as they are (a missing directory holds none). Throws DefinitionError for bad JSON. */
export function readCollectionFiles(dir: string): CollectionFileEntry[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      const text = readFileSync(file, 'utf8');
      try {
        return { file, text, json: JSON.parse(text) as unknown };
      } catch (err) {
        throw new DefinitionError(file, `not valid JSON (${(err as Error).message})`);
      }
    });
}

/**
 * Turns collection files (from disk, or as the collections API would write them) into collections, checked one by
 * one and against each other. Throws DefinitionError on the first problem.
 */
export function collectionsFromFiles(entries: readonly Pick<CollectionFileEntry, 'file' | 'json'>[]): Collection[] {
  const loaded = entries.map(({ file, json }) => {
    const collection = normalizeCollection(file, json);
    if (basename(file) !== `${collection.name}.json`) {
      throw new DefinitionError(file, `the file must be named after its collection: ${collection.name}.json`);
    }
    return { file, collection };
  });
  checkTogether(loaded);
  return loaded.map((l) => l.collection);
}

function checkTogether(loaded: { file: string; collection: Collection }[]): void {
  const byKey = new Map<string, Collection>();
  const indexNames = new Map<string, string>();
  for (const { file, collection } of loaded) {
    for (const key of [collection.id, collection.name.toLowerCase()]) {
      if (byKey.has(key))
        throw new DefinitionError(file, `the collection id or name "${key}" is used by another file too`);
    }
    byKey.set(collection.id, collection);
    byKey.set(collection.name.toLowerCase(), collection);
    for (const sql of collection.indexes) {
      const name = parseIndex(sql)!.name.toLowerCase();
      const other = indexNames.get(name);
      if (other) throw new DefinitionError(file, `index "${name}" is already defined by ${other}`);
      indexNames.set(name, file);
    }
  }
  // Reference targets may be written by name; the engine keeps ids.
  for (const { file, collection } of loaded) {
    collection.fields = collection.fields.map((field) => {
      const references = typeOf(field).references;
      if (!references) return field;
      const ref = references.target(field);
      const target = byKey.get(ref) ?? byKey.get(ref.toLowerCase());
      if (!target) throw new DefinitionError(file, `field "${field.name}": collectionId "${ref}" names no collection`);
      return references.retarget(field, target.id);
    });
  }
}
