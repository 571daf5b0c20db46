// Resolves filter and rule identifiers against collections: fields, relation paths, back-relations,
// @collection joins and @request values, for the collection-agnostic compiler in src/core/query.
import type { Dialect } from '../../db/dialect.js';
import { ApiError } from '../../errors.js';
import { buildFilter, FilterError, type FieldResolver, type ResolvedIdentifier } from '../../query/index.js';
import type { Collection } from '../../collections/model.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import { isSecret, type CompiledField } from '../compiled.js';
import type { RequestInfo } from '../request-info.js';
import type { RecordJson } from '../read/export.js';

const MODIFIERS = new Set(['isset', 'changed', 'length', 'each', 'lower']);
const VIA = /^([A-Za-z_][A-Za-z0-9_]*)_via_([A-Za-z_][A-Za-z0-9_]*)$/;
const MAX_PATH_DEPTH = 6;

export interface ResolverOptions {
  catalog: Catalog;
  collection: Collection;
  /** The SQL alias (unquoted) the root collection's row has in the query. */
  rootAlias: string;
  access: Access;
  request: RequestInfo;
  /** The stored record, for `@request.body.x:changed` in update rules. */
  existing?: RecordJson;
  /**
   * A client's `filter`/`sort` (true) or a collection rule (false). Client text may not reach hidden
   * fields, e-mails their owners keep private, or records a related collection's list rule hides.
   */
  client: boolean;
  /** Prefix of the SQL aliases this resolver makes, unique per resolver sharing one query. */
  aliasScope?: string;
}

/** The FROM part of a value subquery, once a path has gone through a multi-valued hop. */
interface ValueSubquery {
  from: string;
  where: string[];
  params: unknown[];
  joins: string[];
}

/** A value known in JS (a request value) as an identifier: bound, never inlined. */
function boundValue(dialect: Dialect, value: unknown, modifier: string | undefined): ResolvedIdentifier {
  const list = Array.isArray(value) ? value : undefined;
  // Numbers are bound as numbers: two request values compare numerically even where a database would read two
  // untyped parameters as text (PostgreSQL).
  const number = dialect.param({ kind: 'number', empty: 0 });
  if (modifier === 'length') return { sql: number, params: [list ? list.length : 0] };
  if (modifier === 'each' || list) {
    const items = list ?? (value === undefined || value === null || value === '' ? [] : [value]);
    return {
      sql: 'NULL',
      params: [],
      multiple: { eachSql: dialect.jsonEach('?'), eachParams: [JSON.stringify(items)] },
    };
  }
  let scalar: unknown = value === undefined ? '' : value;
  if (typeof scalar === 'boolean') scalar = scalar ? 1 : 0;
  else if (scalar !== null && typeof scalar === 'object') scalar = JSON.stringify(scalar);
  if (modifier === 'lower') return { sql: 'LOWER(?)', params: [scalar] };
  return { sql: typeof scalar === 'number' ? number : '?', params: [scalar] };
}

/** Several conditions as one, ANDed; params in the same order. */
function joinGuards(guards: { sql: string; params: unknown[] }[]): { sql: string; params: unknown[] } | undefined {
  if (!guards.length) return undefined;
  if (guards.length === 1) return guards[0];
  return { sql: guards.map((g) => `(${g.sql})`).join(' AND '), params: guards.flatMap((g) => g.params) };
}

export class RecordFieldResolver implements FieldResolver {
  private aliasCount = 0;
  readonly dialect: Dialect;
  /**
   * True once the SQL depends on the request beyond the filter's text (an `@request` value, or a related
   * collection's rule that reads one): such SQL must not be cached for another request.
   */
  requestDependent = false;

  constructor(private readonly options: ResolverOptions) {
    this.dialect = options.catalog.dialect;
  }

  private quote(name: string): string {
    return this.dialect.quote(name);
  }

  private value(value: unknown, modifier: string | undefined): ResolvedIdentifier {
    return boundValue(this.dialect, value, modifier);
  }

  /** The compiled field `name` of `collection`, if it has one. */
  private field(collection: Collection, name: string): CompiledField | undefined {
    return this.options.catalog.compiled(collection).byName.get(name);
  }

  resolve(name: string): ResolvedIdentifier {
    const segments = name.split('.');
    const last = segments.pop()!;
    const colon = last.indexOf(':');
    const modifier = colon === -1 ? undefined : last.slice(colon + 1);
    if (modifier !== undefined && !MODIFIERS.has(modifier))
      throw new FilterError(`Unknown modifier ":${modifier}" in "${name}".`);
    segments.push(colon === -1 ? last : last.slice(0, colon));
    if (segments.length > MAX_PATH_DEPTH + 1 && segments[0] !== '@request') {
      throw new FilterError(`"${name}" goes deeper than ${MAX_PATH_DEPTH} relations.`);
    }
    const { client, access } = this.options;
    if (client && !access.superuser && (segments[0] === '@request' || segments[0] === '@collection')) {
      throw ApiError.forbidden(`Only superusers can filter by ${segments[0]}.`);
    }
    if (segments[0] === '@request') return this.requestValue(name, segments.slice(1), modifier);
    if (modifier === 'isset' || modifier === 'changed') {
      throw new FilterError(`":${modifier}" only applies to @request values ("${name}").`);
    }
    if (segments[0] === '@collection') return this.collectionJoin(name, segments.slice(1), modifier);
    return this.fieldPath(name, this.options.collection, this.quote(this.options.rootAlias), segments, modifier, []);
  }

  private nextAlias(prefix: string): string {
    return `__${this.options.aliasScope ?? ''}${prefix}${++this.aliasCount}`;
  }

  /** True for a client's filter or sort (not a rule) from anyone but a superuser. */
  private get restricted(): boolean {
    return this.options.client && !this.options.access.superuser;
  }

  /**
   * For a client's filter through a relation: the condition that the related record (aliased `alias`) passes
   * its collection's list rule, as PocketBase applies it since v0.32. Undefined when the rule lets everyone.
   */
  private listRuleOf(target: Collection, alias: string): { sql: string; params: unknown[] } | undefined {
    if (!this.restricted) return undefined;
    const rule = target.listRule;
    if (rule === null) throw new FilterError(`A filter goes through "${target.name}", which only superusers may list.`);
    if (rule.trim() === '') return undefined;
    const scope = `${this.options.aliasScope ?? ''}lr${++this.aliasCount}_`;
    const root = `__${scope}root`;
    const resolver = new RecordFieldResolver({
      ...this.options,
      collection: target,
      rootAlias: root,
      client: false,
      existing: undefined,
      aliasScope: scope,
    });
    const compiled = buildFilter(rule, resolver);
    if (rule.includes('@')) this.requestDependent = true;
    const table = this.quote(target.name);
    const rootAlias = this.quote(root);
    return {
      sql: `${alias}."id" IN (SELECT ${rootAlias}."id" FROM ${table} AS ${rootAlias} ${compiled.joins.join(' ')} WHERE ${compiled.sql})`,
      params: compiled.params,
    };
  }

  private requestValue(name: string, path: string[], modifier: string | undefined): ResolvedIdentifier {
    const { request, access } = this.options;
    this.requestDependent = true;
    const [kind, key, ...rest] = path;
    if (kind === 'method' && path.length === 1) return this.value(request.method, modifier);
    if (kind === 'context' && path.length === 1) return this.value(request.context, modifier);
    if ((kind === 'query' || kind === 'headers') && key && rest.length === 0) {
      const source = kind === 'query' ? request.query : request.headers;
      if (modifier === 'isset') return this.value(key in source ? 1 : 0, undefined);
      return this.value(source[key] ?? '', modifier);
    }
    if (kind === 'body' && key && rest.length === 0) return this.bodyValue(key, modifier);
    if (kind === 'auth' && key) {
      if (modifier === 'isset' || modifier === 'changed')
        throw new FilterError(`":${modifier}" does not apply to "${name}".`);
      const auth = access.auth;
      if (!auth) return this.value('', modifier);
      const authCollection = this.options.catalog.find(auth.collectionId);
      if (rest.length === 0) {
        const meta: Record<string, unknown> = { collectionId: auth.collectionId, collectionName: auth.collectionName };
        if (key in meta) return this.value(meta[key], modifier);
        if (!authCollection || !this.field(authCollection, key)) throw new FilterError(`Unknown field "${name}".`);
        return this.value(auth.record[key], modifier);
      }
      if (!authCollection) throw new FilterError(`Unknown field "${name}".`);
      // A path through the caller's own relations: a value subquery rooted at the caller's row.
      const alias = this.quote(this.nextAlias('a'));
      const root = {
        from: `${this.quote(authCollection.name)} AS ${alias}`,
        where: [`${alias}."id" = ?`],
        params: [auth.id],
      };
      return this.fieldPath(name, authCollection, alias, [key, ...rest], modifier, [], { ...root, joins: [] });
    }
    throw new FilterError(`Unknown field "${name}".`);
  }

  private bodyValue(key: string, modifier: string | undefined): ResolvedIdentifier {
    const { request, collection, existing } = this.options;
    const given = Object.prototype.hasOwnProperty.call(request.body, key);
    if (modifier === 'isset') return this.value(given ? 1 : 0, undefined);
    const field = this.field(collection, key);
    const value = given && field ? field.type.cast(request.body[key], field.def) : request.body[key];
    if (modifier === 'changed') {
      const changed =
        given &&
        JSON.stringify(value) !== JSON.stringify(existing?.[key] ?? (field ? field.type.empty(field.def) : undefined));
      return this.value(changed ? 1 : 0, undefined);
    }
    return this.value(given ? value : '', modifier);
  }

  private collectionJoin(name: string, path: string[], modifier: string | undefined): ResolvedIdentifier {
    const [target, ...rest] = path;
    const [collectionName, aliasName] = (target ?? '').split(':');
    const collection = collectionName ? this.options.catalog.find(collectionName) : undefined;
    if (!collection || !rest.length) throw new FilterError(`Unknown collection in "${name}".`);
    // One join per alias, shared by every condition that names it, so they test the same row (as PocketBase).
    const alias = `__c_${collection.name}_${aliasName ?? ''}`;
    const join = `LEFT JOIN ${this.quote(collection.name)} AS ${this.quote(alias)} ON 1 = 1`;
    return this.fieldPath(name, collection, this.quote(alias), rest, modifier, [join]);
  }

  /**
   * Walks `a.b.c` from `collection` (aliased `alias`). Single relations become LEFT JOINs; the first
   * multi-valued hop (multi relation, back-relation) turns the rest into a value subquery.
   */
  private fieldPath(
    name: string,
    start: Collection,
    startAlias: string,
    segments: string[],
    modifier: string | undefined,
    mainJoins: string[],
    sub?: ValueSubquery,
  ): ResolvedIdentifier {
    let collection = start;
    let alias = startAlias;
    const { dialect } = this;
    let last = segments.length - 1;
    /** Conditions on the main query's joined rows: each related record must pass its list rule. */
    const hopGuards: { sql: string; params: unknown[] }[] = [];
    const guardHop = (target: Collection, rowAlias: string) => {
      const rule = this.listRuleOf(target, rowAlias);
      if (!rule) return;
      if (sub) {
        sub.where.push(rule.sql);
        sub.params.push(...rule.params);
      } else {
        hopGuards.push(rule);
      }
    };
    for (let i = 0; i < last; i++) {
      const segment = segments[i]!;
      const via = VIA.exec(segment);
      let target: Collection;
      const next = this.quote(this.nextAlias('r'));
      if (via) {
        target = this.collectionFor(name, via[1]!);
        const back = this.field(target, via[2]!);
        const points = back?.type.references && this.options.catalog.targetOf(back)?.id === collection.id;
        // A hidden field stays hidden from clients however it is reached, back-relations included.
        if (!back || !points || (this.restricted && back.def.hidden)) {
          throw new FilterError(`Unknown back-relation "${segment}" in "${name}".`);
        }
        const col = `${next}.${back.column}`;
        const on = back.multiple
          ? `EXISTS (SELECT 1 FROM ${dialect.jsonEach(col)} WHERE value = ${alias}."id")`
          : `${col} = ${alias}."id"`;
        if (!sub) sub = { from: `${this.quote(target.name)} AS ${next}`, where: [on], params: [], joins: [] };
        else sub.joins.push(`LEFT JOIN ${this.quote(target.name)} AS ${next} ON ${on}`);
        guardHop(target, next);
      } else {
        const field = this.visibleField(name, collection, segment);
        // `location.lon`, `meta.a.0`: a part of the value itself, the rest of the path.
        if (field.type.subfield && !field.type.references) {
          const sql = field.type.subfield(`${alias}.${field.column}`, segments.slice(i + 1), field.def, dialect);
          if (sql === undefined || modifier) throw new FilterError(`Unknown field "${name}".`);
          if (!sub) {
            const guard = joinGuards(hopGuards);
            return { sql, params: [], joins: mainJoins, ...(guard ? { guard } : {}) };
          }
          const where = sub.where.length ? ` WHERE ${sub.where.join(' AND ')}` : '';
          const eachSql = `(SELECT ${sql} AS value FROM ${[sub.from, ...sub.joins].join(' ')}${where})`;
          return { sql: 'NULL', params: [], joins: mainJoins, multiple: { eachSql, eachParams: [...sub.params] } };
        }
        const targetCollection = field.type.references ? this.options.catalog.targetOf(field) : undefined;
        if (!field.type.references) throw new FilterError(`"${segment}" in "${name}" is not a relation field.`);
        if (!targetCollection) throw new FilterError(`Unknown collection in "${name}".`);
        target = this.collectionFor(name, targetCollection.id);
        const col = `${alias}.${field.column}`;
        if (field.multiple) {
          const each = this.quote(this.nextAlias('je'));
          const joins = [`LEFT JOIN ${this.quote(target.name)} AS ${next} ON ${next}."id" = ${each}.value`];
          if (!sub) sub = { from: `${dialect.jsonEach(col)} AS ${each}`, where: [], params: [], joins };
          else sub.joins.push(`LEFT JOIN ${dialect.jsonEach(col)} AS ${each} ON TRUE`, ...joins);
        } else {
          const join = `LEFT JOIN ${this.quote(target.name)} AS ${next} ON ${next}."id" = ${col}`;
          if (sub) sub.joins.push(join);
          else mainJoins.push(join);
        }
        guardHop(target, next);
      }
      collection = target;
      alias = next;
    }
    last = segments.length - 1;

    const field = this.visibleField(name, collection, segments[last]!);
    const column = `${alias}.${field.column}`;
    // `:each` and `:length` apply to the list types (select, file, relation), one value or many, as in PocketBase:
    // a single value reads as a one-element list.
    const listType = field.type.isMultiple !== undefined;
    if ((modifier === 'each' || modifier === 'length') && !listType) {
      throw new FilterError(`":${modifier}" applies to select, file and relation fields only ("${name}").`);
    }
    const list = field.multiple ? column : dialect.jsonArrayOf(column);
    let value = field.type.filterValue
      ? field.type.filterValue(column, dialect)
      : dialect.comparable(column, field.type.storage(field.def));
    const emailGuard = this.emailGuard(collection, field, alias);
    if (!sub) {
      const guard = joinGuards(emailGuard ? [...hopGuards, emailGuard] : hopGuards);
      const guarded = guard ? { guard } : {};
      if (modifier === 'length') {
        return { sql: dialect.jsonArrayLength(list), params: [], joins: mainJoins, ...guarded };
      }
      if (modifier === 'each') {
        return {
          sql: 'NULL',
          params: [],
          joins: mainJoins,
          multiple: { eachSql: dialect.jsonEach(list), eachParams: [] },
          ...guarded,
        };
      }
      if (modifier === 'lower') value = `LOWER(${value})`;
      return {
        sql: value,
        params: [],
        joins: mainJoins,
        noNullFallback: field.type.exactEquality === true,
        ...guarded,
      };
    }
    const joins = [...sub.joins];
    if (modifier === 'length') {
      // `rel_many.files:length`: the length of each related record's list, one element per related record.
      value = dialect.jsonArrayLength(list);
    } else if (modifier === 'each') {
      const each = this.quote(this.nextAlias('je'));
      joins.push(`LEFT JOIN ${dialect.jsonEach(list)} AS ${each} ON TRUE`);
      value = `${each}.value`;
    } else if (modifier === 'lower') {
      value = `LOWER(${value})`;
    }
    const conditions = emailGuard ? [...sub.where, emailGuard.sql] : sub.where;
    const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
    const eachSql = `(SELECT ${value} AS value FROM ${[sub.from, ...joins].join(' ')}${where})`;
    const guard = joinGuards(hopGuards);
    return {
      sql: 'NULL',
      params: [],
      joins: mainJoins,
      multiple: { eachSql, eachParams: [...sub.params, ...(emailGuard?.params ?? [])] },
      ...(guard ? { guard } : {}),
    };
  }

  private collectionFor(name: string, ref: string): Collection {
    const target = this.options.catalog.find(ref);
    if (!target) throw new FilterError(`Unknown collection in "${name}".`);
    // Since PocketBase v0.31, client filters through a relation need access to the related collection.
    if (this.restricted && target.listRule === null) {
      throw new FilterError(`"${name}" goes through "${target.name}", which only superusers may list.`);
    }
    return target;
  }

  private visibleField(name: string, collection: Collection, fieldName: string): CompiledField {
    const field = this.field(collection, fieldName);
    const secret = field !== undefined && isSecret(field);
    const hidden = this.options.client && !this.options.access.superuser && (field?.def.hidden || secret);
    if (!field || hidden || (secret && this.options.client)) throw new FilterError(`Unknown field "${name}".`);
    if (secret) throw new FilterError(`"${name}" cannot be used in rules.`);
    return field;
  }

  /** Client filters only match e-mails their owners made visible (or the caller's own). */
  private emailGuard(collection: Collection, field: CompiledField, alias: string) {
    const { client, access } = this.options;
    if (!client || access.superuser || collection.type !== 'auth' || field.def.name !== 'email' || !field.def.system)
      return undefined;
    return { sql: `(${alias}."emailVisibility" = TRUE OR ${alias}."id" = ?)`, params: [access.auth?.id ?? ''] };
  }
}

/**
 * The resolver of a client's `filter` and `sort` on `collection`: restricted as client text is, with aliases of
 * its own so that its joins never collide with those of the rule in the same query.
 */
export function clientResolver(
  catalog: Catalog,
  collection: Collection,
  access: Access,
  request: RequestInfo,
): RecordFieldResolver {
  return new RecordFieldResolver({
    catalog,
    collection,
    rootAlias: collection.name,
    access,
    request,
    client: true,
    aliasScope: 'f',
  });
}
