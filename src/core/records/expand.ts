// Relation expansion (`expand=author,comments_via_post.author`): related records the caller may view, nested under `expand`.
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import { ApiError } from '../errors.js';
import { FilterError } from '../query/index.js';
import type { Access } from './access.js';
import { compile, type CompiledCollection } from './compiled.js';
import { withContext, type RequestInfo } from './request-info.js';
import { resolveRule } from './rules.js';
import { exportRecord, rowToValues, type RecordJson } from './serialize.js';

const MAX_DEPTH = 6;
const MAX_PATHS = 32;
const VIA = /^([A-Za-z_][A-Za-z0-9_]*)_via_([A-Za-z_][A-Za-z0-9_]*)$/;

type ExpandTree = Map<string, ExpandTree>;

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

export class Expander {
  constructor(
    private readonly db: Database,
    private readonly registry: CollectionRegistry,
  ) {}

  /**
   * Adds `expand` to each exported record (`items[i]` is the export of `values[i]`). Paths that name no
   * relation, or lead to records the caller may not view, are left out silently.
   */
  expand(
    compiled: CompiledCollection,
    values: RecordJson[],
    items: RecordJson[],
    tree: ExpandTree,
    access: Access,
    request: RequestInfo,
  ): void {
    if (!tree.size || !values.length) return;
    const expandRequest = withContext(request, 'expand');
    for (const [key, subtree] of tree) {
      const via = VIA.exec(key);
      const related = via
        ? this.backRelated(compiled.collection, values, via[1]!, via[2]!, access, expandRequest)
        : this.forwardRelated(compiled, values, key, access, expandRequest);
      if (!related) continue;
      const { target, byParent, single } = related;
      const all = [...new Set([...byParent.values()].flat())];
      this.expand(
        compile(target),
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

  private forwardRelated(
    compiled: CompiledCollection,
    values: RecordJson[],
    key: string,
    access: Access,
    request: RequestInfo,
  ) {
    const field = compiled.byName.get(key);
    if (!field || field.def.type !== 'relation' || (field.def.hidden && !access.superuser)) return undefined;
    const target = this.registry.find(String(field.def.collectionId));
    if (!target) return undefined;
    const idsOf = (v: RecordJson) => (Array.isArray(v[key]) ? (v[key] as string[]) : v[key] ? [v[key] as string] : []);
    const ids = [...new Set(values.flatMap(idsOf))];
    const found = this.fetchVisible(
      target,
      ids,
      (t) => `${t}."id" IN (SELECT value FROM json_each(?))`,
      access,
      request,
    );
    if (!found) return undefined;
    const byId = new Map(found.map((f) => [f.values.id as string, f]));
    const byParent = new Map<number, Found[]>();
    values.forEach((v, i) =>
      byParent.set(
        i,
        idsOf(v).flatMap((id) => byId.get(id) ?? []),
      ),
    );
    return { target, byParent, single: !field.type.isMultiple?.(field.def) };
  }

  private backRelated(
    parent: Collection,
    values: RecordJson[],
    name: string,
    fieldName: string,
    access: Access,
    request: RequestInfo,
  ) {
    const target = this.registry.find(name);
    const field = target?.fields.find(
      (f) => f.name === fieldName && f.type === 'relation' && f.collectionId === parent.id,
    );
    if (!target || !field) return undefined;
    const multiple = compile(target).byName.get(fieldName)?.type.isMultiple?.(field) ?? false;
    const column = (t: string) => `${t}.${quoteIdent(field.name)}`;
    const match = (t: string) =>
      multiple
        ? `EXISTS (SELECT 1 FROM json_each(${column(t)}) AS je WHERE je.value IN (SELECT value FROM json_each(?)))`
        : `${column(t)} IN (SELECT value FROM json_each(?))`;
    const found = this.fetchVisible(
      target,
      values.map((v) => v.id as string),
      match,
      access,
      request,
    );
    if (!found) return undefined;
    const pointsAt = (f: Found, id: unknown) => {
      const ref = f.values[fieldName];
      return Array.isArray(ref) ? ref.includes(id) : ref === id;
    };
    const byParent = new Map<number, Found[]>();
    values.forEach((v, i) =>
      byParent.set(
        i,
        found.filter((f) => pointsAt(f, v.id)),
      ),
    );
    return { target, byParent, single: false };
  }

  /** Records of `target` matching `where` (one `?`: the JSON list of ids) that pass its view rule; undefined when locked. */
  private fetchVisible(
    target: Collection,
    ids: string[],
    where: (table: string) => string,
    access: Access,
    request: RequestInfo,
  ): Found[] | undefined {
    if (!ids.length) return [];
    let rule;
    try {
      rule = resolveRule({ registry: this.registry, access, request }, target, 'viewRule');
    } catch (err) {
      if (err instanceof ApiError || err instanceof FilterError) return undefined;
      throw err;
    }
    const compiled = compile(target);
    const table = compiled.table;
    let sql = `SELECT ${table}.* FROM ${table} WHERE ${where(table)}`;
    const params: unknown[] = [JSON.stringify(ids)];
    if (rule.kind === 'where') {
      sql += ` AND ${table}._rowid_ IN (SELECT ${table}._rowid_ FROM ${table} ${rule.joins.join(' ')} WHERE ${rule.sql})`;
      params.push(...rule.params);
    }
    const rows = this.db.prepare(sql).all(...params) as Record<string, unknown>[];
    return rows.map((row) => {
      const values = rowToValues(compiled, row);
      return { values, json: exportRecord(compiled, values, access) };
    });
  }
}
