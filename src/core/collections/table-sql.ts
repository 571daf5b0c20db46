// SQL text for a collection's table and indexes, built from validated names through the dialect.
import type { ColumnSpec, Dialect } from '../db/dialect.js';
import { typeOf, type FieldDefinition } from '../fields/index.js';
import type { Collection } from './model.js';

/** How a field is stored. */
export function storageOf(field: FieldDefinition): ColumnSpec {
  return typeOf(field).storage(field);
}

/** The column definition of one field: its quoted name, type and default. */
export function columnSql(dialect: Dialect, field: FieldDefinition): string {
  return `${dialect.quote(field.name)} ${dialect.columnType(storageOf(field))}`;
}

export function createTableSql(dialect: Dialect, collection: Collection, tableName = collection.name): string {
  const columns = [...collection.fields.map((f) => columnSql(dialect, f)), ...dialect.tableColumns];
  return `CREATE TABLE ${dialect.quote(tableName)} (${columns.join(', ')})`;
}

/** Every index the table needs: the file's own and, for auth collections, the system ones. */
export function indexStatements(dialect: Dialect, collection: Collection): string[] {
  const table = dialect.quote(collection.name);
  const own = collection.indexes.map((sql) => dialect.indexStatement(sql));
  if (collection.type === 'auth') {
    own.push(
      `CREATE UNIQUE INDEX ${dialect.quote(`idx_tokenKey_${collection.id}`)} ON ${table} ("tokenKey")`,
      `CREATE UNIQUE INDEX ${dialect.quote(`idx_email_${collection.id}`)} ON ${table} (${dialect.caseInsensitive('"email"')}) WHERE "email" != ''`,
    );
  }
  return own;
}
