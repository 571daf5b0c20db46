// Builds the SELECT and COUNT of a list request: the rule, the client's filter and sort, all as bound SQL.
import { ApiError } from '../errors.js';
import type { Access } from './access.js';
import type { CompiledCollection } from './compiled.js';
import type { ListParams } from './list-params.js';
import type { RuleOutcome } from './rules.js';

export interface ListQuery {
  selectSql: string;
  countSql: string;
  params: unknown[];
}

const MAX_SORT_TERMS = 8;
const SORT_TERM = /^([+-]?)(@random|@rowid|[A-Za-z_][A-Za-z0-9_]{0,254})$/;

/** ORDER BY terms for `sort`; an unknown or hidden field is a 400 naming it. */
export function orderBy(compiled: CompiledCollection, sort: string | undefined, access: Access): string[] {
  const terms = (sort ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (terms.length > MAX_SORT_TERMS) throw ApiError.badRequest(`Invalid sort: at most ${MAX_SORT_TERMS} fields.`);
  return terms.map((term) => {
    const m = SORT_TERM.exec(term);
    if (!m) throw ApiError.badRequest(`Invalid sort field ${JSON.stringify(term.slice(0, 64))}.`);
    const [, sign, name] = m;
    if (name === '@random') return 'RANDOM()';
    const dir = sign === '-' ? 'DESC' : 'ASC';
    if (name === '@rowid') return `${compiled.table}._rowid_ ${dir}`;
    const field = compiled.byName.get(name!);
    if (!field || field.type.alwaysHidden || (field.def.hidden && !access.superuser)) {
      throw ApiError.badRequest(`Invalid sort field ${JSON.stringify(name)}: no such field.`);
    }
    return `${compiled.table}.${field.column} ${dir}`;
  });
}

export function buildListQuery(
  compiled: CompiledCollection,
  rule: RuleOutcome,
  params: ListParams,
  access: Access,
): ListQuery {
  const where: string[] = [];
  const bound: unknown[] = [];
  if (rule.kind === 'where') {
    where.push(`(${rule.sql})`);
    bound.push(...rule.params);
  }
  if (params.filter?.trim()) throw ApiError.badRequest('Filtering is not available yet.');
  const order = orderBy(compiled, params.sort, access);
  // Rows that tie on every sort key keep a stable order across pages.
  if (!order.includes('RANDOM()')) order.push(`${compiled.table}._rowid_ ${order.at(-1)?.endsWith('DESC') ? 'DESC' : 'ASC'}`);
  const whereSql = where.length ? ` WHERE ${where.join(' AND ')}` : '';
  return {
    selectSql: `SELECT ${compiled.table}.* FROM ${compiled.table}${whereSql} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    countSql: `SELECT COUNT(*) AS n FROM ${compiled.table}${whereSql}`,
    params: bound,
  };
}
