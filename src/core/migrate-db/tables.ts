// What is copied, table by table: its columns, the key rows are read in order of, and how a row read from either
// engine becomes values both agree on (for the checksum) and the parameters the target stores.
import type { Collection } from '../collections/model.js';
import type { Row } from '../db/index.js';
import { toRow, type CompiledCollection } from '../records/compiled.js';

export interface TablePlan {
  name: string;
  /** A unique column: names a row in messages; rows are read in its order unless `insertionOrder`. */
  key: string;
  /**
   * Rows are read in the order they were inserted (the dialect's row order), so the target keeps that order: a
   * list without a sort shows records as the source did.
   */
  insertionOrder?: boolean;
  columns: string[];
  /** A row as read from either database -> its values in `columns` order, normalized across engines. */
  normalize(row: Row): unknown[];
  /** Normalized values -> the parameters that store them in the target. */
  toParams(values: unknown[]): unknown[];
}

/** A collection's table: its fields read and written as the record engine reads and writes them. */
export function collectionTable(compiled: CompiledCollection): TablePlan {
  const { fields } = compiled;
  return {
    name: compiled.collection.name,
    key: 'id',
    insertionOrder: true,
    columns: fields.map((f) => f.def.name),
    normalize: (row) => fields.map((f) => f.type.fromDb(row[f.def.name], f.def)),
    toParams: (values) => toRow(compiled, Object.fromEntries(fields.map((f, i) => [f.def.name, values[i]]))),
  };
}

type ColumnKind = 'text' | 'integer' | 'json';

const normalizers: Record<ColumnKind, (value: unknown) => unknown> = {
  text: (v) => (v === null || v === undefined ? null : String(v)),
  // Drivers may hand a 64-bit integer over as text or a bigint.
  integer: (v) => (v === null || v === undefined ? null : Number(v)),
  // Stored as JSON text by one engine, handed over parsed by another.
  json: (v) => (v === null || v === undefined ? null : typeof v === 'string' ? (JSON.parse(v) as unknown) : v),
};

const toParam: Record<ColumnKind, (value: unknown) => unknown> = {
  text: (v) => v,
  integer: (v) => v,
  json: (v) => (v === null ? null : JSON.stringify(v)),
};

function fixedTable(name: string, key: string, columns: Record<string, ColumnKind>): TablePlan {
  const entries = Object.entries(columns);
  return {
    name,
    key,
    columns: entries.map(([c]) => c),
    normalize: (row) => entries.map(([c, kind]) => normalizers[kind](row[c])),
    toParams: (values) => values.map((v, i) => toParam[entries[i]![1]](v)),
  };
}

const text = (...names: string[]) => Object.fromEntries(names.map((n) => [n, 'text' as const]));

/**
 * Satchel's own tables beside the collections' (`_collections` is not among them: the target's boot writes it
 * from the same definitions). `_params` holds the settings and the token secrets: tokens stay valid.
 */
export const SYSTEM_TABLES: TablePlan[] = [
  fixedTable('_params', 'id', { id: 'text', value: 'json', created: 'text', updated: 'text' }),
  fixedTable('_sequences', 'name', { name: 'text', value: 'integer' }),
  fixedTable('_otps', 'id', text('id', 'collectionRef', 'recordRef', 'password', 'sentTo', 'created')),
  fixedTable('_mfas', 'id', text('id', 'collectionRef', 'recordRef', 'method', 'created')),
  fixedTable(
    '_authOrigins',
    'id',
    text('id', 'collectionRef', 'recordRef', 'fingerprint', 'keyStamp', 'created', 'updated'),
  ),
];

/** The request and app logs, in the auxiliary store. */
export const LOG_TABLE = fixedTable('_logs', 'id', {
  id: 'text',
  level: 'integer',
  message: 'text',
  data: 'json',
  created: 'text',
});

/** The collections whose rows are copied: every one with a table (views are queries, remade by the boot). */
export function copiedCollections(collections: readonly Collection[]): Collection[] {
  return collections.filter((c) => c.type !== 'view');
}
