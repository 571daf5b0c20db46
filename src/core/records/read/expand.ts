// Relation expansion (`expand=author,comments_via_post.author`): related records the caller may view, nested under `expand`.
import type { Queries } from '../../db/store.js';
import type { Collection } from '../../collections/model.js';
import { ApiError } from '../../errors.js';
import { FilterError } from '../../query/index.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import type { CompiledCollection } from '../compiled.js';
import { withContext, type RequestInfo } from '../request-info.js';
import { resolveRule } from '../rules/resolve.js';
import { managedIds } from '../rules/manage.js';
import { exportRecord, rowToValues, type RecordJson } from './export.js';

const MAX_DEPTH = 6;
const MAX_PATHS = 32;
const VIA = /^([A-Za-z_][A-Za-z0-9_]*)_via_([A-Za-z_][A-Za-z0-9_]*)$/;

export type ExpandTree = Map<string, ExpandTree>;

/** Parses `a,b.c` into a tree; deeper than 6 levels is cut, as PocketBase does. */
export function parseExpand(text: string | undefined): ExpandTree {
  const root: ExpandTree = new Map();
  const paths = (text ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (paths.length > MAX_PATHS) throw ApiError.badRequest(`Invalid expand: at most ${MAX_PATHS} paths.`);
  for (const path of paths) {
    let node = root;
    for (const key of path.split('.').slice(0, MAX_DEPTH)) {
      if (!key) break;
      let child = node.get(key);
      if (!child) node.set(key, (child = new Map()));
      node = child;
    }
  }
  return root;
}

interface Found {
  values: RecordJson;
  json: RecordJson;
}

interface Related {
  target: Collection;
  byParent: Map<number, Found[]>;
  single: boolean;
}

const idsOf = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : value ? [String(value)] : []);

export class Expander {
  constructor(
    private readonly db: Queries,
    private readonly catalog: Catalog,
  ) {}

  /**
   * Adds `expand` to each exported record (`items[i]` is the export of `values[i]`). Paths that name no
   * relation, or lead to records the caller may not view, are left out silently.
   */
  async expand(
    compiled: CompiledCollection,
    values: RecordJson[],
    items: RecordJson[],
    tree: ExpandTree,
    access: Access,
    request: RequestInfo,
  ): Promise<void> {
    if (!tree.size || !values.length) return;
    const expandRequest = withContext(request, 'expand');
    for (const [key, subtree] of tree) {
      const via = VIA.exec(key);
      const related = via
        ? await this.backRelated(compiled.collection, values, via[1]!, via[2]!, access, expandRequest)
        : await this.forwardRelated(compiled, values, key, access, expandRequest);
      if (!related) continue;
      // As PocketBase: once a path resolves, every record carries `expand`, `{}` when nothing related was found.
      for (const item of items) item.expand ??= {};
      const { target, byParent, single } = related;
      const all = [...new Set([...byParent.values()].flat())];
      await this.expand(
        this.catalog.compiled(target),
        all.map((f) => f.values),
        all.map((f) => f.json),
        subtree,
        access,
        expandRequest,
      );
      values.forEach((_v, i) => {
        const found = byParent.get(i) ?? [];
        if (!found.length) return;
        const item = items[i]!;
        const expand = ((item.expand as RecordJson | undefined) ?? {}) as RecordJson;
        expand[key] = single ? found[0]!.json : found.map((f) => f.json);
        item.expand = expand;
      });
    }
  }

  private async forwardRelated(
    compiled: CompiledCollection,
    values: RecordJson[],
    key: string,
    access: Access,
    request: RequestInfo,
  ): Promise<Related | undefined> {
    const field = compiled.byName.get(key);
    if (!field?.type.references || (field.def.hidden && !access.superuser)) return undefined;
    const target = this.catalog.targetOf(field);
    if (!target) return undefined;
    const ids = [...new Set(values.flatMap((v) => idsOf(v[key])))];
    const each = this.catalog.dialect.jsonEach('?');
    const found = await this.fetchVisible(
      target,
      ids,
      (t) => `${t}."id" IN (SELECT value FROM ${each})`,
      access,
      request,
    );
    if (!found) return undefined;
    const byId = new Map(found.map((f) => [f.values.id as string, f]));
    const byParent = new Map<number, Found[]>();
    values.forEach((v, i) =>
      byParent.set(
        i,
        idsOf(v[key]).flatMap((id) => byId.get(id) ?? []),
      ),
    );
    return { target, byParent, single: !field.multiple };
  }

  private async backRelated(
    parent: Collection,
    values: RecordJson[],
    name: string,
    fieldName: string,
    access: Access,
    request: RequestInfo,
  ): Promise<Related | undefined> {
    const target = this.catalog.find(name);
    const field = target && this.catalog.compiled(target).byName.get(fieldName);
    if (!target || !field?.type.references || this.catalog.targetOf(field)?.id !== parent.id) return undefined;
    // A hidden field stays hidden from clients, back-relations included.
    if (field.def.hidden && !access.superuser) return undefined;
    const { dialect } = this.catalog;
    const column = (t: string) => `${t}.${field.column}`;
    const match = (t: string) =>
      field.multiple
        ? `EXISTS (SELECT 1 FROM ${dialect.jsonEach(column(t))} AS je WHERE je.value IN (SELECT value FROM ${dialect.jsonEach('?')}))`
        : `${column(t)} IN (SELECT value FROM ${dialect.jsonEach('?')})`;
    const found = await this.fetchVisible(
      target,
      values.map((v) => v.id as string),
      match,
      access,
      request,
    );
    if (!found) return undefined;
    const byParent = new Map<number, Found[]>();
    values.forEach((v, i) =>
      byParent.set(
        i,
        found.filter((f) => idsOf(f.values[fieldName]).includes(v.id as string)),
      ),
    );
    return { target, byParent, single: false };
  }

  /** Records of `target` matching `where` (one `?`: the JSON list of ids) that pass its view rule; undefined when locked. */
  private async fetchVisible(
    target: Collection,
    ids: string[],
    where: (table: string) => string,
    access: Access,
    request: RequestInfo,
  ): Promise<Found[] | undefined> {
    if (!ids.length) return [];
    let rule;
    try {
      rule = resolveRule({ catalog: this.catalog, access, request }, target, 'viewRule');
    } catch (err) {
      if (err instanceof ApiError || err instanceof FilterError) return undefined;
      throw err;
    }
    const compiled = this.catalog.compiled(target);
    const table = compiled.table;
    let sql = `SELECT ${table}.* FROM ${table} WHERE ${where(table)}`;
    const params: unknown[] = [JSON.stringify(ids)];
    if (rule.kind === 'where') {
      sql += ` AND ${table}."id" IN (SELECT ${table}."id" FROM ${table} ${rule.joins.join(' ')} WHERE ${rule.sql})`;
      params.push(...rule.params);
    }
    const rows = await this.db.all(sql, params);
    // Accounts the caller manages (their manageRule) show their e-mails here too, as in PocketBase.
    const managed =
      target.type === 'auth' && access.auth && !access.superuser
        ? await managedIds(
            this.db,
            this.catalog,
            compiled,
            access,
            request,
            rows.map((r) => String(r.id)),
          )
        : undefined;
    return rows.map((row) => {
      const values = rowToValues(compiled, row);
      return { values, json: exportRecord(compiled, values, access, managed) };
    });
  }
}
