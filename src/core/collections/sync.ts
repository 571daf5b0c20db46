// Brings data.db to match the collection definitions, in one transaction, keeping every untouched column's data.
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import { DefinitionError } from '../errors.js';
import { nowDateTime } from '../datetime.js';
import { fieldType, type FieldDefinition } from '../fields/index.js';
import type { Collection } from './model.js';
import { columnSql, createTableSql, indexStatements } from './table-sql.js';

interface StoredRow {
  id: string;
  name: string;
  definition: string;
}

export interface SyncReport {
  created: string[];
  changed: string[];
  /** Collections in data.db with no definition file: kept, not served. */
  detached: string[];
}

export interface SyncOptions {
  /**
   * Drop fields whose columns still hold values. Off by default: a field that vanished from its file
   * (an edit, or a server started with the wrong collections folder) must not take stored data with it.
   */
  allowDataLoss?: boolean;
}

/** Applies the definitions to the database. Throws DefinitionError when SQLite refuses a definition (e.g. an index). */
export function syncCollections(db: Database, collections: Collection[], options: SyncOptions = {}): SyncReport {
  const report: SyncReport = { created: [], changed: [], detached: [] };
  db.transaction(() => {
    const stored = db.raw.prepare('SELECT id, name, definition FROM _collections').all() as StoredRow[];
    const byId = new Map(stored.map((r) => [r.id, r]));
    const byName = new Map(stored.map((r) => [r.name.toLowerCase(), r]));
    const matched = new Set<string>();
    const now = nowDateTime();

    for (const collection of collections) {
      const row = byId.get(collection.id) ?? byName.get(collection.name.toLowerCase());
      const definition = JSON.stringify(collection);
      if (row) matched.add(row.id);
      if (row?.definition === definition) continue;
      if (!row) {
        db.raw.exec(createTableSql(collection));
        report.created.push(collection.name);
      } else {
        const before = JSON.parse(row.definition) as Collection;
        if (!options.allowDataLoss) refuseDataLoss(db, before, collection);
        alterTable(db, before, collection);
        db.raw.prepare('DELETE FROM _collections WHERE id = ?').run(row.id);
        report.changed.push(collection.name);
      }
      createIndexes(db, collection);
      db.raw
        .prepare('INSERT INTO _collections (id, name, definition, created, updated) VALUES (?, ?, ?, ?, ?)')
        .run(collection.id, collection.name, definition, now, now);
    }
    report.detached = stored.filter((r) => !matched.has(r.id)).map((r) => r.name);
  });
  db.clearStatements();
  return report;
}

/** Throws when the change would drop a column that still holds values. */
function refuseDataLoss(db: Database, before: Collection, after: Collection): void {
  const kept = new Set(after.fields.map((f) => f.id));
  for (const field of before.fields) {
    if (kept.has(field.id)) continue;
    const column = quoteIdent(field.name);
    const { n } = db.raw
      .prepare(
        `SELECT COUNT(*) AS n FROM ${quoteIdent(before.name)} WHERE ${column} IS NOT NULL AND ${column} NOT IN ('', 0, '[]', 'null')`,
      )
      .get() as { n: number };
    if (n > 0) {
      throw new DefinitionError(
        `collection "${after.name}"`,
        `field "${field.name}" is gone from the definition but ${n} record(s) still hold values in it; ` +
          'put the field back (with its id to rename it), or start once with --allow-data-loss to drop it',
      );
    }
  }
}

function createIndexes(db: Database, collection: Collection): void {
  for (const sql of indexStatements(collection)) {
    try {
      db.raw.exec(sql);
    } catch (err) {
      throw new DefinitionError(
        `collection "${collection.name}"`,
        `index ${JSON.stringify(sql)}: ${(err as Error).message}`,
      );
    }
  }
}

function dropIndexes(db: Database, table: string): void {
  const rows = db.raw
    .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? COLLATE NOCASE AND sql IS NOT NULL")
    .all(table) as { name: string }[];
  for (const { name } of rows) db.raw.exec(`DROP INDEX ${quoteIdent(name)}`);
}

/** Changes an existing table from `before` to `after`; fields are matched by id, so a rename keeps its data. */
function alterTable(db: Database, before: Collection, after: Collection): void {
  dropIndexes(db, before.name);
  if (before.name !== after.name) {
    db.raw.exec(`ALTER TABLE ${quoteIdent(before.name)} RENAME TO ${quoteIdent(after.name)}`);
  }
  const table = quoteIdent(after.name);
  const oldById = new Map(before.fields.map((f) => [f.id, f]));
  const newIds = new Set(after.fields.map((f) => f.id));

  // A changed column type needs a rebuilt table; SQLite cannot alter a column in place.
  const retyped = after.fields.some((f) => {
    const old = oldById.get(f.id);
    return old !== undefined && columnSql({ ...old, name: f.name }) !== columnSql(f);
  });
  if (retyped) return rebuildTable(db, before, after);

  for (const old of before.fields) {
    if (!newIds.has(old.id)) db.raw.exec(`ALTER TABLE ${table} DROP COLUMN ${quoteIdent(old.name)}`);
  }
  // Renames go through temporary names so that swaps (a->b, b->a) cannot collide.
  const renamed = after.fields.filter((f) => oldById.has(f.id) && oldById.get(f.id)!.name !== f.name);
  for (const f of renamed) {
    db.raw.exec(
      `ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(oldById.get(f.id)!.name)} TO ${quoteIdent(`_tmp_${f.id}`)}`,
    );
  }
  for (const f of renamed)
    db.raw.exec(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdent(`_tmp_${f.id}`)} TO ${quoteIdent(f.name)}`);
  for (const f of after.fields) {
    if (!oldById.has(f.id)) db.raw.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(f)}`);
  }
}

/** Copies the rows into a table of the new shape: kept fields carry their values, cast by SQLite's column affinity. */
function rebuildTable(db: Database, before: Collection, after: Collection): void {
  const oldById = new Map(before.fields.map((f) => [f.id, f]));
  const kept = after.fields.filter((f) => oldById.has(f.id));
  const temp = `_rebuild_${after.id}`;
  db.raw.exec(createTableSql(after, temp));
  const target = kept.map((f) => quoteIdent(f.name)).join(', ');
  const source = kept.map((f) => copyExpression(oldById.get(f.id)!, f)).join(', ');
  db.raw.exec(`INSERT INTO ${quoteIdent(temp)} (${target}) SELECT ${source} FROM ${quoteIdent(after.name)}`);
  db.raw.exec(`DROP TABLE ${quoteIdent(after.name)}`);
  db.raw.exec(`ALTER TABLE ${quoteIdent(temp)} RENAME TO ${quoteIdent(after.name)}`);
}

/** The value a kept column carries into its new type; NULLs become the new column's empty value. */
function copyExpression(old: FieldDefinition, now: FieldDefinition): string {
  const column = quoteIdent(old.name);
  const multiple = (f: FieldDefinition) => fieldType(f.type)?.isMultiple?.(f) ?? false;
  if (!multiple(old) && multiple(now)) return `CASE WHEN ${column} = '' THEN '[]' ELSE json_array(${column}) END`;
  if (multiple(old) && !multiple(now)) return `COALESCE(json_extract(${column}, '$[#-1]'), '')`;
  if (now.type === 'number') return `COALESCE(CAST(${column} AS NUMERIC), 0)`;
  if (now.type === 'bool') return `COALESCE(${column} IN (1, '1', 'true'), 0)`;
  if (now.type === 'json') return `CASE WHEN json_valid(${column}) THEN ${column} ELSE json_quote(${column}) END`;
  return `COALESCE(CAST(${column} AS TEXT), '')`;
}
