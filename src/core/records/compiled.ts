// Per-collection pieces built once and cached until the collection changes: field lookups, validator, SQL.
import * as v from 'valibot';
import type { Dialect } from '../db/dialect.js';
import { typeOf, type FieldDefinition, type FieldType } from '../fields/index.js';
import type { Collection } from '../collections/model.js';

export interface CompiledField {
  def: FieldDefinition;
  type: FieldType;
  /** The quoted column name. */
  column: string;
  multiple: boolean;
}

export interface CompiledCollection {
  collection: Collection;
  /** The quoted table name. */
  table: string;
  fields: CompiledField[];
  byName: Map<string, CompiledField>;
  /** Validates a whole candidate record (every field but sealed ones, after casting). */
  validator: v.GenericSchema;
  /** Fields the server sets to the current time on create and on update (autodate), by name. */
  stamps: { create: string[]; update: string[] };
  /** Fields pointing at other collections: a write must check their targets exist (inside a transaction). */
  references: CompiledField[];
  /** Fields whose plain input is sealed before the write (passwords); the stored value is never shown. */
  sealed: CompiledField[];
  /** Fields a caller may see after the leading five, in order: for superusers and for anyone else. */
  visible: { superuser: string[]; other: string[] };
  /** The same as compiled fields, for exporting straight from a row. */
  visibleFields: { superuser: CompiledField[]; other: CompiledField[] };
  insertSql: string;
  updateSql: string;
  selectByIdSql: string;
  deleteSql: string;
}

/** Fields every record shows first, in this order. */
export const LEADING_FIELDS = new Set(['id', 'collectionId', 'collectionName', 'created', 'updated']);

/** Fields that never leave the server, whatever their `hidden` option says. */
export function isSecret(f: Pick<CompiledField, 'def' | 'type'>): boolean {
  return f.type.sealed !== undefined || (f.def.name === 'tokenKey' && f.def.system === true);
}

/** Compiles collections for one dialect, each once, until the collection object is replaced. */
export class CollectionCompiler {
  private readonly cache = new WeakMap<Collection, CompiledCollection>();

  constructor(private readonly dialect: Dialect) {}

  compile(collection: Collection): CompiledCollection {
    let compiled = this.cache.get(collection);
    if (!compiled) {
      compiled = build(this.dialect, collection);
      this.cache.set(collection, compiled);
    }
    return compiled;
  }
}

function build(dialect: Dialect, collection: Collection): CompiledCollection {
  const table = dialect.quote(collection.name);
  const fields = collection.fields.map((def) => {
    const type = typeOf(def);
    return { def, type, column: dialect.quote(def.name), multiple: type.isMultiple?.(def) ?? false };
  });
  const columns = fields.map((f) => f.column);
  const checked = fields.filter((f) => !f.type.sealed);
  const validator = v.object(Object.fromEntries(checked.map((f) => [f.def.name, f.type.schema(f.def)])));
  const shown = fields.filter((f) => !LEADING_FIELDS.has(f.def.name) && !isSecret(f));
  return {
    collection,
    table,
    fields,
    byName: new Map(fields.map((f) => [f.def.name, f])),
    validator,
    sealed: fields.filter((f) => f.type.sealed),
    references: fields.filter((f) => f.type.references),
    stamps: {
      create: fields.filter((f) => f.type.autoValue?.(f.def, 'create', 'now') !== undefined).map((f) => f.def.name),
      update: fields.filter((f) => f.type.autoValue?.(f.def, 'update', 'now') !== undefined).map((f) => f.def.name),
    },
    visible: {
      superuser: shown.map((f) => f.def.name),
      other: shown.filter((f) => !f.def.hidden).map((f) => f.def.name),
    },
    visibleFields: { superuser: shown, other: shown.filter((f) => !f.def.hidden) },
    insertSql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    updateSql: `UPDATE ${table} SET ${columns.join(' = ?, ')} = ? WHERE "id" = ?`,
    selectByIdSql: `SELECT * FROM ${table} WHERE "id" = ?`,
    deleteSql: `DELETE FROM ${table} WHERE "id" = ?`,
  };
}

/** The row to bind for `values`, in column order. */
export function toRow(compiled: CompiledCollection, values: Record<string, unknown>): unknown[] {
  return compiled.fields.map((f) => f.type.toDb(values[f.def.name], f.def));
}
