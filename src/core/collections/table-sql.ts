// SQL text for a collection's table and indexes, built from validated names only.
import { quoteIdent } from '../db/identifiers.js';
import { fieldType, type FieldDefinition } from '../fields/index.js';
import type { Collection } from './model.js';

/** The column definition of one field: its quoted name, type and default. */
export function columnSql(field: FieldDefinition): string {
  return `${quoteIdent(field.name)} ${fieldType(field.type)!.column(field)}`;
}

export function createTableSql(collection: Collection, tableName = collection.name): string {
  return `CREATE TABLE ${quoteIdent(tableName)} (${collection.fields.map(columnSql).join(', ')})`;
}

/** Every index the table needs: the file's own and, for auth collections, the system ones. */
export function indexStatements(collection: Collection): string[] {
  const table = quoteIdent(collection.name);
  const own = [...collection.indexes];
  if (collection.type === 'auth') {
    own.push(
      `CREATE UNIQUE INDEX ${quoteIdent(`idx_tokenKey_${collection.id}`)} ON ${table} ("tokenKey")`,
      `CREATE UNIQUE INDEX ${quoteIdent(`idx_email_${collection.id}`)} ON ${table} ("email" COLLATE NOCASE) WHERE "email" != ''`,
    );
  }
  return own;
}
