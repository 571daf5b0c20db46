// Builds the SELECT and COUNT of a list request: the rule, the client's filter and sort, all as bound SQL.
import { buildFilter, FilterError, parseSort } from '../../query/index.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import { clientResolver } from '../rules/field-resolver.js';
import type { ListParams } from './list-params.js';
import type { RequestInfo } from '../request-info.js';
import type { RuleOutcome } from '../rules/resolve.js';

export interface ListQuery {
  selectSql: string;
  countSql: string;
  /** Parameters of the SELECT before LIMIT/OFFSET. */
  selectParams: unknown[];
  countParams: unknown[];
  /** The SQL reads the request beyond the filter's text (a related collection's rule does): never cached. */
  requestDependent: boolean;
}

/** Built queries of guests on open lists, by filter and sort: the same text always gives the same SQL. */
const guestCache = new WeakMap<CompiledCollection, Map<string, ListQuery>>();
const GUEST_CACHE_SIZE = 256;

export function buildListQuery(
  catalog: Catalog,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  params: ListParams,
  access: Access,
  request: RequestInfo,
): ListQuery {
  // Only when nothing but the text decides the SQL: no rule condition, no caller, no macro (`@now` binds the time).
  const cacheable = rule.kind === 'all' && !access.superuser && !access.auth && !params.filter?.includes('@');
  if (!cacheable) return build(catalog, compiled, rule, params, access, request);
  let cache = guestCache.get(compiled);
  if (!cache) guestCache.set(compiled, (cache = new Map()));
  const key = `${params.filter ?? ''}\u0000${params.sort ?? ''}`;
  let query = cache.get(key);
  if (!query) {
    query = build(catalog, compiled, rule, params, access, request);
    if (query.requestDependent) return query;
    if (cache.size >= GUEST_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, query);
  }
  return query;
}

function build(
  catalog: Catalog,
  compiled: CompiledCollection,
  rule: RuleOutcome,
  params: ListParams,
  access: Access,
  request: RequestInfo,
): ListQuery {
  const table = compiled.table;
  const { dialect } = catalog;
  // A view has no row order of its own: its records keep the order of their ids.
  const rowOrder = compiled.collection.type === 'view' ? `${table}.${dialect.quote('id')}` : dialect.rowOrder(table);
  const resolver = clientResolver(catalog, compiled.collection, access, request);
  const conditions: string[] = [];
  const whereParams: unknown[] = [];
  const joins = new Set<string>();
  for (const part of [
    rule,
    params.filter?.trim() ? { kind: 'where' as const, ...buildFilter(params.filter, resolver) } : undefined,
  ]) {
    if (part?.kind !== 'where') continue;
    conditions.push(`(${part.sql})`);
    whereParams.push(...part.params);
    for (const join of part.joins) joins.add(join);
  }
  // Joins can repeat a row (one per related row); filtering by id in a subquery keeps each record once.
  let where = '';
  if (conditions.length && joins.size) {
    where = ` WHERE ${table}."id" IN (SELECT ${table}."id" FROM ${table} ${[...joins].join(' ')} WHERE ${conditions.join(' AND ')})`;
  } else if (conditions.length) {
    where = ` WHERE ${conditions.join(' AND ')}`;
  }

  const order: string[] = [];
  const orderParams: unknown[] = [];
  const sortJoins = new Set<string>();
  for (const { name, desc } of parseSort(params.sort ?? '')) {
    const dir = desc ? 'DESC' : 'ASC';
    if (name === '@random') {
      order.push(dialect.randomOrder);
      continue;
    }
    if (name === '@rowid') {
      order.push(`${rowOrder} ${dir}`);
      continue;
    }
    if (name.startsWith('@collection')) throw new FilterError(`Invalid sort field "${name}".`);
    const resolved = resolver.resolve(name);
    if (resolved.multiple) throw new FilterError(`Cannot sort by the multi-valued "${name}".`);
    for (const join of resolved.joins ?? []) sortJoins.add(join);
    if (resolved.guard) {
      // What a filter may not compare, a sort may not order by: rows the guard hides all sort as NULL.
      order.push(`CASE WHEN ${resolved.guard.sql} THEN ${resolved.sql} END ${dialect.sortDirection(desc)}`);
      orderParams.push(...resolved.guard.params, ...resolved.params);
    } else {
      order.push(`${resolved.sql} ${dialect.sortDirection(desc)}`);
      orderParams.push(...resolved.params);
    }
  }
  // Rows that tie on every sort key keep a stable order across pages.
  if (!order.includes(dialect.randomOrder)) {
    order.push(`${rowOrder} ${/\bDESC\b/.test(order.at(-1) ?? '') ? 'DESC' : 'ASC'}`);
  }

  const from = `${table}${sortJoins.size ? ` ${[...sortJoins].join(' ')}` : ''}`;
  return {
    selectSql: `SELECT ${table}.* FROM ${from}${where} ORDER BY ${order.join(', ')} LIMIT ? OFFSET ?`,
    countSql: `SELECT COUNT(*) AS n FROM ${table}${where}`,
    selectParams: [...whereParams, ...orderParams],
    countParams: whereParams,
    requestDependent: resolver.requestDependent,
  };
}
