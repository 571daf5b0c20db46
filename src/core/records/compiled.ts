// Per-collection pieces built once and cached until the collection changes: field lookups, validator, SQL.
import * as v from 'valibot';
import { quoteIdent } from '../db/identifiers.js';
import { fieldType, type FieldDefinition, type FieldType } from '../fields/index.js';
import type { Collection } from '../collections/model.js';

export interface CompiledField {
  def: FieldDefinition;
  type: FieldType;
  column: string;
}

export interface CompiledCollection {
  collection: Collection;
  table: string;
  fields: CompiledField[];
  byName: Map<string, CompiledField>;
  /** Validates a whole candidate record (every field but passwords, after casting). */
  validator: v.GenericSchema;
  /** Fields the server sets to the current time on create and on update (autodate), by name. */
  stamps: { create: string[]; update: string[] };
  /** True when a write must check related records (and so needs a transaction). */
  hasRelations: boolean;
  /** Password fields, validated only when a new password is given (the stored value is a hash). */
  passwords: CompiledField[];
  insertSql: string;
  updateSql: string;
  selectByIdSql: string;
  deleteSql: string;
}

const cache = new WeakMap<Collection, CompiledCollection>();

/** The compiled form of a collection, built on first use. */
export function compile(collection: Collection): CompiledCollection {
  let compiled = cache.get(collection);
  if (!compiled) {
    compiled = build(collection);
    cache.set(collection, compiled);
  }
  return compiled;
}

function build(collection: Collection): CompiledCollection {
  const table = quoteIdent(collection.name);
  const fields = collection.fields.map((def) => ({ def, type: fieldType(def.type)!, column: quoteIdent(def.name) }));
  const columns = fields.map((f) => f.column);
  const checked = fields.filter((f) => f.def.type !== 'password');
  const validator = v.object(Object.fromEntries(checked.map((f) => [f.def.name, f.type.schema(f.def)])));
  return {
    collection,
    table,
    fields,
    byName: new Map(fields.map((f) => [f.def.name, f])),
    validator,
    passwords: fields.filter((f) => f.def.type === 'password'),
    hasRelations: fields.some((f) => f.def.type === 'relation'),
    stamps: {
      create: fields.filter((f) => f.type.autoValue?.(f.def, 'create', 'now') !== undefined).map((f) => f.def.name),
      update: fields.filter((f) => f.type.autoValue?.(f.def, 'update', 'now') !== undefined).map((f) => f.def.name),
    },
    insertSql: `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    updateSql: `UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE "id" = ?`,
    selectByIdSql: `SELECT * FROM ${table} WHERE "id" = ?`,
    deleteSql: `DELETE FROM ${table} WHERE "id" = ?`,
  };
}
