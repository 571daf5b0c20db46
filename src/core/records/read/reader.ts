// Reading records: list and view with rules, expand and export; stored values for the engine's own use.
import type { Queries, Store } from '../../db/store.js';
import type { Collection } from '../../collections/model.js';
import { ApiError } from '../../errors.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import { EMPTY_REQUEST, type RequestInfo } from '../request-info.js';
import { loadPassing } from '../rules/checks.js';
import { managedIds, manageCondition } from '../rules/manage.js';
import { ALL_RULE, resolveRule, ruleText, type RuleOutcome } from '../rules/resolve.js';
import { Expander, parseExpand } from './expand.js';
import { exportRecord, exportRow, rowToValues, type RecordJson } from './export.js';
import { buildListQuery } from './list-query.js';
import { pageParams, type ListParams } from './list-params.js';

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: RecordJson[];
}

export class RecordReader {
  private readonly expander: Expander;

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
  ) {
    this.expander = new Expander(store, catalog);
  }

  async list(
    compiled: CompiledCollection,
    params: ListParams,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<ListResult> {
    const rule = resolveRule({ catalog: this.catalog, access, request }, compiled.collection, 'listRule');
    const { page, perPage, skipTotal } = pageParams(params);
    const query = buildListQuery(this.catalog, compiled, rule, params, access, request);
    const rows = await this.store.all(query.selectSql, [...query.selectParams, perPage, (page - 1) * perPage]);
    // Only signed-in callers of auth collections can manage records: no extra await for anyone else.
    const pending = this.managed(compiled, rows, access, request);
    const managed = pending && (await pending);
    let items: RecordJson[];
    if (request.query.expand) {
      const values = rows.map((row) => rowToValues(compiled, row));
      items = values.map((v) => exportRecord(compiled, v, access, managed));
      await this.expandInto(compiled, values, items, access, request);
    } else {
      items = rows.map((row) => exportRow(compiled, row, access, managed));
    }
    if (skipTotal) return { page, perPage, totalItems: -1, totalPages: -1, items };
    const n = (await this.store.one<{ n: number }>(query.countSql, query.countParams))?.n ?? 0;
    return { page, perPage, totalItems: n, totalPages: Math.ceil(n / perPage), items };
  }

  /** A record the caller may view; a record the view rule hides is a 404, like a missing one. */
  view(compiled: CompiledCollection, id: string, access: Access, request: RequestInfo = EMPTY_REQUEST) {
    const rule = resolveRule({ catalog: this.catalog, access, request }, compiled.collection, 'viewRule');
    // One promise for the whole read (the hottest route): the row goes straight to what the caller sees.
    return loadPassing(this.store, compiled, rule, id).then((row) => {
      if (!row) throw ApiError.notFound();
      if (manageCondition(this.catalog, compiled, access, request)) {
        return this.exportOne(compiled, rowToValues(compiled, row), access, request);
      }
      if (!request.query.expand) return exportRow(compiled, row, access);
      return this.exportOne(compiled, rowToValues(compiled, row), access, request);
    });
  }

  /** The record as `access` may see it, with the request's `expand`. */
  exportOne(
    compiled: CompiledCollection,
    values: RecordJson,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): RecordJson | Promise<RecordJson> {
    if (manageCondition(this.catalog, compiled, access, request)) {
      return managedIds(this.store, this.catalog, compiled, access, request, [String(values.id)]).then((managed) => {
        const item = exportRecord(compiled, values, access, managed);
        if (!request.query.expand) return item;
        return this.expandInto(compiled, [values], [item], access, request).then(() => item);
      });
    }
    const item = exportRecord(compiled, values, access);
    if (!request.query.expand) return item;
    return this.expandInto(compiled, [values], [item], access, request).then(() => item);
  }

  /** Ids of these records whose e-mails the caller sees as their manager; none unless a manageRule applies. */
  private managed(
    compiled: CompiledCollection,
    rows: Record<string, unknown>[],
    access: Access,
    request: RequestInfo,
  ): Promise<ReadonlySet<string> | undefined> | undefined {
    if (compiled.collection.type !== 'auth' || access.superuser || !access.auth) return undefined;
    if (!ruleText(compiled.collection, 'manageRule')?.trim()) return undefined;
    const ids = rows.map((r) => String(r.id));
    return managedIds(this.store, this.catalog, compiled, access, request, ids);
  }

  /** The stored values of record `id` (hidden fields included), if it passes `rule`. */
  async storedPassing(
    compiled: CompiledCollection,
    rule: RuleOutcome,
    id: string,
    db: Queries = this.store,
  ): Promise<RecordJson | undefined> {
    const row = await loadPassing(db, compiled, rule, id);
    return row && rowToValues(compiled, row);
  }

  /** The stored values of record `id` (hidden fields included). */
  stored(compiled: CompiledCollection, id: string, db: Queries = this.store): Promise<RecordJson | undefined> {
    return this.storedPassing(compiled, ALL_RULE, id, db);
  }

  /** The stored record whose `field` equals `value`, ignoring case (e-mail and username are unique that way). */
  async storedByField(collection: Collection, field: string, value: string): Promise<RecordJson | undefined> {
    const compiled = this.catalog.compiled(collection);
    const f = compiled.byName.get(field);
    if (!f || value === '') return undefined;
    const { dialect } = this.catalog;
    const row = await this.store.one(
      `SELECT * FROM ${compiled.table} WHERE ${dialect.caseInsensitive(f.column)} = ? LIMIT 1`,
      [value],
    );
    return row && rowToValues(compiled, row);
  }

  async count(collection: Collection): Promise<number> {
    const row = await this.store.one<{ n: number }>(
      `SELECT COUNT(*) AS n FROM ${this.catalog.compiled(collection).table}`,
    );
    return row?.n ?? 0;
  }

  /** Adds the relations named by the request's `expand` parameter. */
  private async expandInto(
    compiled: CompiledCollection,
    values: RecordJson[],
    items: RecordJson[],
    access: Access,
    request: RequestInfo,
  ): Promise<void> {
    const expand = request.query.expand;
    if (!expand) return;
    await this.expander.expand(compiled, values, items, parseExpand(expand), access, request);
  }
}
