// Loads every collection file of a directory and checks them against each other.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefinitionError } from '../errors.js';
import { typeOf } from '../fields/index.js';
import type { Collection } from './model.js';
import { normalizeCollection } from './normalize.js';
import { parseIndex } from './indexes.js';

/** Reads `<dir>/*.json` (a missing directory holds no collections). Throws DefinitionError on the first problem. */
export function loadCollectionFiles(dir: string): Collection[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const loaded = files.map((name) => {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new DefinitionError(file, `not valid JSON (${(err as Error).message})`);
    }
    const collection = normalizeCollection(file, json);
    if (name !== `${collection.name}.json`) {
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
