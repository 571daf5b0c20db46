// View collections: a read-only SELECT served as records. Its fields are inferred from the query's result columns:
// a plain column of a collection keeps that field's type and options (a relation stays a relation, so expand
// works); an aggregate or a numeric cast is a number; any other expression is json, as PocketBase infers them.
import { QueryRejected } from '../db/errors.js';
import type { Dialect } from '../db/dialect.js';
import type { ResultColumn, Transaction } from '../db/store.js';
import { DefinitionError } from '../errors.js';
import type { FieldDefinition } from '../fields/index.js';
import { checksumId } from '../ids.js';
import type { Collection } from './model.js';
import { withSystemFields } from './system-fields.js';

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The expressions of the query's main select list (top level, split at top-level commas); [] when unsure. */
export function selectList(sql: string): string[] {
  let depth = 0;
  let start = -1;
  const parts: string[] = [];
  let from = -1;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      i = sql.indexOf(close, i + 1);
      if (i === -1) return [];
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) {
      const word = /^[A-Za-z]+/.exec(sql.slice(i))?.[0]?.toLowerCase();
      const boundary = i === 0 || !/[A-Za-z0-9_]/.test(sql[i - 1]!);
      if (boundary && word === 'select' && start === -1) {
        start = i + word.length;
        i += word.length - 1;
      } else if (boundary && word === 'from' && start !== -1) {
        from = i;
        break;
      } else if (c === ',' && start !== -1) {
        parts.push(sql.slice(start, i));
        start = i + 1;
      }
    }
  }
  if (start === -1) return [];
  parts.push(sql.slice(start, from === -1 ? undefined : from));
  return parts.map((p) => p.trim().replace(/^distinct\s+/i, ''));
}

/** The field an expression of no table column is: a number for aggregates and numeric casts, else json. */
function expressionField(name: string, expression: string | undefined): FieldDefinition {
  const e = (expression ?? '').replace(/\s+as\s+["`[]?\w+["`\]]?\s*$/i, '').trim();
  let type = 'json';
  if (/^(count|sum|avg|total|min|max)\s*\(/i.test(e)) type = 'number';
  else if (/^cast\s*\([\s\S]*\sas\s+(integer|int|real|numeric|float|double)\s*\)$/i.test(e)) type = 'number';
  else if (/^-?\d+(\.\d+)?$/.test(e)) type = 'number';
  else if (/^cast\s*\([\s\S]*\sas\s+text\s*\)$/i.test(e) || /^'[^']*'$/.test(e)) type = 'text';
  else if (/^(true|false)$/i.test(e)) type = 'bool';
  return { id: checksumId(type, name), name, type };
}

/** The fields of a view whose query answers `columns`, using the served collections for plain columns. */
export function inferViewFields(
  view: Collection,
  columns: ResultColumn[],
  all: readonly Collection[],
): FieldDefinition[] {
  const where = `collection "${view.name}"`;
  const names = columns.map((c) => c.name);
  if (!names.includes('id')) {
    throw new DefinitionError(
      where,
      'viewQuery: the result needs an "id" column (a unique value per row; ROW_NUMBER() OVER () makes one)',
    );
  }
  const expressions = selectList(view.viewQuery ?? '');
  const exprs = expressions.length === columns.length ? expressions : [];
  const byTable = new Map(all.map((c) => [c.name.toLowerCase(), c]));
  const hints = new Map(view.fields.map((f) => [f.name, f]));
  const seen = new Set<string>();
  return columns.map((column, i) => {
    if (!FIELD_NAME.test(column.name)) {
      throw new DefinitionError(where, `viewQuery: the column "${column.name}" needs an alias that is a field name`);
    }
    if (seen.has(column.name.toLowerCase())) {
      throw new DefinitionError(where, `viewQuery: the column name "${column.name}" is used twice`);
    }
    seen.add(column.name.toLowerCase());
    const source = column.table ? byTable.get(column.table.toLowerCase()) : undefined;
    const sourceField = source?.fields.find((f) => f.name === column.column);
    let field: FieldDefinition;
    if (column.name === 'id') {
      field = { ...withSystemFields('base', [])[0]!, ...(sourceField ? { id: sourceField.id } : {}) };
    } else if (sourceField) {
      // A copy of the source field under the column's name: its type and options (and a relation's target).
      const { system: _system, primaryKey: _primaryKey, ...copy } = sourceField;
      field = { ...copy, id: checksumId(sourceField.type, `${view.name}.${column.name}`), name: column.name };
      // An auth collection's hidden system fields (password, tokenKey) stay hidden in a view.
      if (sourceField.hidden) field = { ...field, hidden: true };
    } else {
      field = expressionField(column.name, exprs[i]);
    }
    const hint = hints.get(column.name);
    return hint ? { ...field, id: hint.id, hidden: hint.hidden ?? field.hidden } : field;
  });
}

/**
 * Creates the views of `views` (inferring their fields) once the tables exist. Views over other views are
 * created after them, whatever the order of the files; a query that cannot be a view is a DefinitionError.
 */
export async function createViews(
  tx: Transaction,
  dialect: Dialect,
  views: Collection[],
  all: readonly Collection[],
): Promise<void> {
  let pending = views;
  while (pending.length) {
    const failed: { view: Collection; err: QueryRejected }[] = [];
    for (const view of pending) {
      try {
        const columns = await tx.describeQuery(view.viewQuery!);
        view.fields = inferViewFields(view, columns, all);
        await tx.exec(`CREATE VIEW ${dialect.quote(view.name)} AS ${view.viewQuery!}`);
      } catch (err) {
        if (!(err instanceof QueryRejected)) throw err;
        failed.push({ view, err });
      }
    }
    if (failed.length === pending.length) {
      const { view, err } = failed[0]!;
      throw new DefinitionError(`collection "${view.name}"`, `viewQuery: ${err.message}`);
    }
    pending = failed.map((f) => f.view);
  }
}
