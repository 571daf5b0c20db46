// The filter language over the logs: `id`, `created`, `level`, `message`, `data` and its members
// (`data.status >= 400`, `data.auth = "users"`), as PocketBase's logs API takes it.
import type { Dialect } from '../db/index.js';
import { FilterError, type FieldResolver, type ResolvedIdentifier } from '../query/index.js';

const COLUMNS = new Set(['id', 'created', 'level', 'message', 'data']);

export function logFieldResolver(dialect: Dialect): FieldResolver {
  const column = (name: string) => `${dialect.quote('_logs')}.${dialect.quote(name)}`;
  return {
    dialect,
    resolve(name: string): ResolvedIdentifier {
      if (COLUMNS.has(name)) return { sql: column(name), params: [] };
      if (name === '@rowid') return { sql: dialect.rowOrder(dialect.quote('_logs')), params: [] };
      const path = /^data\.([\w.:]*\w)$/.exec(name)?.[1];
      if (!path) throw new FilterError(`Invalid filter field "${name}".`);
      // Nested members one key at a time: each step is the dialect's JSON member access.
      const sql = path.split('.').reduce((expr, key) => dialect.jsonExtract(expr, key), column('data'));
      return { sql, params: [], noNullFallback: false };
    },
  };
}
