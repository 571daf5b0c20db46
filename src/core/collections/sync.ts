// Brings the database to match the collection definitions, in one transaction, keeping every untouched column's data.
import type { Store, Transaction } from '../db/store.js';
import { StoreError } from '../db/errors.js';
import { DefinitionError } from '../errors.js';
import { nowDateTime } from '../datetime.js';
import type { Collection } from './model.js';
import { columnSql, createTableSql, indexStatements, storageOf } from './table-sql.js';
import { createViews } from './views.js';

interface StoredRow {
  id: string;
  name: string;
  definition: string;
}

export interface SyncReport {
  created: string[];
  changed: string[];
  /** Collections in the database with no definition file: kept, not served. */
  detached: string[];
}

export interface SyncOptions {
  /**
   * Checks the collections once the database matches them (views have their inferred fields then), inside the
   * sync's transaction: a throw rolls the whole sync back.
   */
  check?: (collections: Collection[]) => void;
  /**
   * Drop fields whose columns still hold values. Off by default: a field that vanished from its file
   * (an edit, or a server started with the wrong collections folder) must not take stored data with it.
   */
  allowDataLoss?: boolean;
}

/** Applies the definitions to the database. Throws DefinitionError when the database refuses a definition (e.g. an index). */
export async function syncCollections(
  store: Store,
  collections: Collection[],
  options: SyncOptions = {},
): Promise<SyncReport> {
  const report: SyncReport = { created: [], changed: [], detached: [] };
  await store.transaction(async (tx) => {
    const sync = new Sync(store, tx);
    const stored = await tx.all<StoredRow>('SELECT id, name, definition FROM _collections');
    const byId = new Map(stored.map((r) => [r.id, r]));
    const byName = new Map(stored.map((r) => [r.name.toLowerCase(), r]));
    const matched = new Set<string>();
    const now = nowDateTime();
    const views = collections.filter((c) => c.type === 'view');
    // Views go first and come back last: a table rebuilt below must not be held by a view over it.
    for (const name of new Set([...stored.filter(isView).map((r) => r.name), ...views.map((v) => v.name)])) {
      await tx.exec(`DROP VIEW IF EXISTS ${store.dialect.quote(name)}`);
    }

    for (const collection of collections) {
      if (collection.type === 'view') continue;
      const row = byId.get(collection.id) ?? byName.get(collection.name.toLowerCase());
      const definition = JSON.stringify(collection);
      if (row) matched.add(row.id);
      if (row?.definition === definition) continue;
      if (!row) {
        await tx.exec(createTableSql(store.dialect, collection));
        report.created.push(collection.name);
      } else {
        const before = JSON.parse(row.definition) as Collection;
        if (!options.allowDataLoss) await sync.refuseDataLoss(before, collection);
        await sync.alterTable(before, collection);
        await tx.run('DELETE FROM _collections WHERE id = ?', [row.id]);
        report.changed.push(collection.name);
      }
      await sync.createIndexes(collection);
      await tx.run('INSERT INTO _collections (id, name, definition, created, updated) VALUES (?, ?, ?, ?, ?)', [
        collection.id,
        collection.name,
        definition,
        now,
        now,
      ]);
    }
    await createViews(tx, store.dialect, views, collections);
    for (const view of views) {
      const row = byId.get(view.id) ?? byName.get(view.name.toLowerCase());
      if (row) matched.add(row.id);
      const definition = JSON.stringify(view);
      if (row?.definition === definition) continue;
      if (row) await tx.run('DELETE FROM _collections WHERE id = ?', [row.id]);
      (row ? report.changed : report.created).push(view.name);
      await tx.run('INSERT INTO _collections (id, name, definition, created, updated) VALUES (?, ?, ?, ?, ?)', [
        view.id,
        view.name,
        definition,
        now,
        now,
      ]);
    }
    options.check?.(collections);
    report.detached = stored.filter((r) => !matched.has(r.id)).map((r) => r.name);
  });
  store.schemaChanged();
  return report;
}

function isView(row: StoredRow): boolean {
  return (JSON.parse(row.definition) as Collection).type === 'view';
}

/** The steps of one sync, inside its transaction. */
class Sync {
  constructor(
    private readonly store: Store,
    private readonly tx: Transaction,
  ) {}

  private get dialect() {
    return this.store.dialect;
  }

  private quote(name: string): string {
    return this.dialect.quote(name);
  }

  /** Throws when the change would drop a column that still holds values. */
  async refuseDataLoss(before: Collection, after: Collection): Promise<void> {
    const kept = new Set(after.fields.map((f) => f.id));
    for (const field of before.fields) {
      if (kept.has(field.id)) continue;
      const column = this.quote(field.name);
      const row = await this.tx.one<{ n: number }>(
        `SELECT COUNT(*) AS n FROM ${this.quote(before.name)} WHERE ${this.dialect.holdsValue(column)}`,
      );
      const n = row?.n ?? 0;
      if (n > 0) {
        throw new DefinitionError(
          `collection "${after.name}"`,
          `field "${field.name}" is gone from the definition but ${n} record(s) still hold values in it; ` +
            'put the field back (with its id to rename it), or start once with --allow-data-loss to drop it',
        );
      }
    }
  }

  async createIndexes(collection: Collection): Promise<void> {
    for (const sql of indexStatements(this.dialect, collection)) {
      try {
        await this.tx.exec(sql);
      } catch (err) {
        const detail = err instanceof StoreError ? err.message : ((err as Error).message ?? String(err));
        throw new DefinitionError(`collection "${collection.name}"`, `index ${JSON.stringify(sql)}: ${detail}`);
      }
    }
  }

  private async dropIndexes(table: string): Promise<void> {
    const query = this.dialect.indexesOf(table);
    const rows = await this.tx.all<{ name: string }>(query.sql, query.params);
    for (const { name } of rows) await this.tx.exec(`DROP INDEX ${this.quote(name)}`);
  }

  /** Changes an existing table from `before` to `after`; fields are matched by id, so a rename keeps its data. */
  async alterTable(before: Collection, after: Collection): Promise<void> {
    const { dialect, tx } = this;
    await this.dropIndexes(before.name);
    if (before.name !== after.name) {
      await tx.exec(`ALTER TABLE ${this.quote(before.name)} RENAME TO ${this.quote(after.name)}`);
    }
    const table = this.quote(after.name);
    const oldById = new Map(before.fields.map((f) => [f.id, f]));
    const newIds = new Set(after.fields.map((f) => f.id));

    // A changed column type needs a rebuilt table: not every database can alter a column in place.
    const retyped = after.fields.some((f) => {
      const old = oldById.get(f.id);
      return old !== undefined && columnSql(dialect, { ...old, name: f.name }) !== columnSql(dialect, f);
    });
    if (retyped) return this.rebuildTable(before, after);

    for (const old of before.fields) {
      if (!newIds.has(old.id)) await tx.exec(`ALTER TABLE ${table} DROP COLUMN ${this.quote(old.name)}`);
    }
    // Renames go through temporary names so that swaps (a->b, b->a) cannot collide.
    const renamed = after.fields.filter((f) => oldById.has(f.id) && oldById.get(f.id)!.name !== f.name);
    for (const f of renamed) {
      await tx.exec(
        `ALTER TABLE ${table} RENAME COLUMN ${this.quote(oldById.get(f.id)!.name)} TO ${this.quote(`_tmp_${f.id}`)}`,
      );
    }
    for (const f of renamed) {
      await tx.exec(`ALTER TABLE ${table} RENAME COLUMN ${this.quote(`_tmp_${f.id}`)} TO ${this.quote(f.name)}`);
    }
    for (const f of after.fields) {
      if (!oldById.has(f.id)) await tx.exec(`ALTER TABLE ${table} ADD COLUMN ${columnSql(dialect, f)}`);
    }
  }

  /** Copies the rows into a table of the new shape: kept fields carry their values, converted to their new type. */
  private async rebuildTable(before: Collection, after: Collection): Promise<void> {
    const { dialect, tx } = this;
    const oldById = new Map(before.fields.map((f) => [f.id, f]));
    const kept = after.fields.filter((f) => oldById.has(f.id));
    const temp = `_rebuild_${after.id}`;
    await tx.exec(createTableSql(dialect, after, temp));
    const target = kept.map((f) => this.quote(f.name)).join(', ');
    const source = kept
      .map((f) => {
        const old = oldById.get(f.id)!;
        // NULLs (and values of another shape) become the new column's empty value.
        return dialect.convert(this.quote(old.name), storageOf(old), storageOf(f));
      })
      .join(', ');
    // In row order: the copies keep the insertion order that sorts tie-break on.
    const table = this.quote(after.name);
    await tx.exec(
      `INSERT INTO ${this.quote(temp)} (${target}) SELECT ${source} FROM ${table} ORDER BY ${dialect.rowOrder(table)}`,
    );
    await tx.exec(`DROP TABLE ${this.quote(after.name)}`);
    await tx.exec(`ALTER TABLE ${this.quote(temp)} RENAME TO ${this.quote(after.name)}`);
  }
}
