// Before anything is copied: the source must be a Satchel database whose tables hold what the collection files
// describe (the target is built from the files), so no column of the source is dropped on the way.
import type { Collection } from '../collections/model.js';
import { storageOf } from '../collections/table-sql.js';
import type { Queries } from '../db/index.js';
import type { FieldDefinition } from '../fields/index.js';
import { MigrateError } from './errors.js';

interface StoredCollection {
  id: string;
  name: string;
  definition: unknown;
}

/** The collections the source database was last brought to (its `_collections` rows); refuses any other database. */
export async function storedCollections(db: Queries, label: string): Promise<Collection[]> {
  let rows: StoredCollection[];
  try {
    rows = await db.all<StoredCollection>('SELECT "id", "name", "definition" FROM "_collections"');
  } catch {
    throw new MigrateError(`${label} is not a Satchel database (it has no _collections table of definitions)`);
  }
  try {
    return rows.map((r) =>
      typeof r.definition === 'string' ? (JSON.parse(r.definition) as Collection) : (r.definition as Collection),
    );
  } catch {
    throw new MigrateError(`${label} is not a Satchel database (its _collections rows are not definitions)`);
  }
}

/** How a field's value is stored, as text to compare (a type or a single/multiple change alters it). */
function storage(field: FieldDefinition): string {
  try {
    return JSON.stringify(storageOf(field));
  } catch {
    return `unknown type ${JSON.stringify(field.type)}`;
  }
}

/** What differs between the source's tables and the collection files, one line each (empty: they match). */
export function schemaDifferences(stored: readonly Collection[], files: readonly Collection[]): string[] {
  const problems: string[] = [];
  const tables = (list: readonly Collection[]) => list.filter((c) => c.type !== 'view');
  const storedById = new Map(tables(stored).map((c) => [c.id, c]));
  const storedByName = new Map(tables(stored).map((c) => [c.name.toLowerCase(), c]));
  const matched = new Set<string>();
  for (const file of tables(files)) {
    const before = storedById.get(file.id) ?? storedByName.get(file.name.toLowerCase());
    if (!before) {
      problems.push(`collection ${file.name} has no table in the source database`);
      continue;
    }
    matched.add(before.id);
    if (before.id !== file.id) {
      problems.push(`collection ${file.name} has id ${file.id} in its file but ${before.id} in the source database`);
    }
    const beforeFields = new Map(before.fields.map((f) => [f.name, f]));
    for (const field of file.fields) {
      const old = beforeFields.get(field.name);
      if (!old) problems.push(`${file.name}.${field.name} is not in the source database`);
      else if (storage(old) !== storage(field)) {
        problems.push(`${file.name}.${field.name} is stored differently in the source database (${old.type})`);
      }
      beforeFields.delete(field.name);
    }
    for (const name of beforeFields.keys()) {
      problems.push(`${file.name}.${name} is in the source database but not in the collection file`);
    }
  }
  for (const c of tables(stored)) {
    if (!matched.has(c.id)) problems.push(`collection ${c.name} is in the source database but has no file`);
  }
  return problems;
}

/** Refuses a source whose tables the collection files do not describe. */
export function refuseSchemaMismatch(stored: readonly Collection[], files: readonly Collection[], dir: string): void {
  const problems = schemaDifferences(stored, files);
  if (!problems.length) return;
  throw new MigrateError(
    `the collections in ${dir} do not match the source database:\n${problems.map((p) => `  - ${p}`).join('\n')}\n` +
      'Point --collections at the folder the source runs with (or start the source with these files once, ' +
      'which brings its tables to them), then migrate.',
  );
}
