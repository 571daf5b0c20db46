// What one subscriber sees of a changed record: nothing unless the topic's rule and the subscriber's own filter
// let it through, then the record as that subscriber may view it, with its expand and fields.
import type { Queries } from '../../db/store.js';
import { ApiError } from '../../errors.js';
import { buildFilter, FilterError } from '../../query/index.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import type { RequestInfo } from '../request-info.js';
import { valuesPass } from '../rules/checks.js';
import { clientResolver } from '../rules/field-resolver.js';
import { resolveRule, type RuleOutcome } from '../rules/resolve.js';
import type { RecordJson } from './export.js';
import { pickFields } from './pick-fields.js';
import type { RecordReader } from './reader.js';

/** An error that means "this subscriber may not see it" (a locked rule, a filter it may not use). */
function isRefusal(err: unknown): boolean {
  return err instanceof ApiError || err instanceof FilterError;
}

/**
 * The record as `access` would get it from the list (`listRule`) or view (`viewRule`) route with the request's
 * query (`filter`, `expand`, `fields`), judged by `values` rather than by what is stored now (a deleted record
 * has its last values; a later write must not change what this change looked like). Undefined when hidden.
 */
export async function viewOfChange(
  db: Queries,
  catalog: Catalog,
  reader: RecordReader,
  compiled: CompiledCollection,
  values: RecordJson,
  rule: 'listRule' | 'viewRule',
  access: Access,
  request: RequestInfo,
): Promise<RecordJson | undefined> {
  const conditions: RuleOutcome[] = [];
  try {
    conditions.push(resolveRule({ catalog, access, request }, compiled.collection, rule));
    const filter = request.query.filter?.trim();
    if (filter) {
      // The client's filter, under the same restrictions as on the list route (hidden fields, related rules).
      const resolver = clientResolver(catalog, compiled.collection, access, request);
      conditions.push({ kind: 'where', ...buildFilter(filter, resolver) });
    }
  } catch (err) {
    if (isRefusal(err)) return undefined;
    throw err;
  }
  if (!(await valuesPass(db, compiled, conditions, values, catalog.dialect))) return undefined;
  let item: RecordJson;
  try {
    item = await reader.exportOne(compiled, values, access, request);
  } catch (err) {
    // A bad expand leaves the record without it, as PocketBase sends it.
    if (!isRefusal(err)) throw err;
    item = await reader.exportOne(compiled, values, access, withoutExpand(request));
  }
  const fields = request.query.fields;
  if (!fields) return item;
  try {
    return pickFields(item, fields) as RecordJson;
  } catch (err) {
    if (isRefusal(err)) return item;
    throw err;
  }
}

function withoutExpand(request: RequestInfo): RequestInfo {
  const { expand: _expand, ...query } = request.query;
  return { method: request.method, context: request.context, headers: request.headers, body: request.body, query };
}
