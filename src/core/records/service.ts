// The record engine: list, view, create, update and delete, with rules, validation and relation integrity.
import type { Database } from '../db/database.js';
import { constraintToApiError } from '../db/constraint-errors.js';
import { nowDateTime } from '../datetime.js';
import { ApiError } from '../errors.js';
import { newRecordId, randomString } from '../ids.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import type { Access } from './access.js';
import { compile, type CompiledCollection } from './compiled.js';
import type { Hook } from '../hooks.js';
import { collectionTags, RecordHooks, runAfterSuccess, runRequestHook, type RecordModelEvent } from './events.js';
import { Expander, parseExpand } from './expand.js';
import { applyInput, type AppliedInput } from './input.js';
import { buildListQuery } from './list-query.js';
import { pageParams, type ListParams } from './list-params.js';
import { checkRelationsExist, detachReference, referencesTo, referencingIds } from './relations.js';
import { EMPTY_REQUEST, withBody, type RequestInfo } from './request-info.js';
import { loadPassing, newRecordPasses, storedRecordPasses } from './rule-checks.js';
import { ALL_RULE, assertUnlocked, resolveRule, type RuleContext, type RuleOutcome } from './rules.js';
import { exportRecord, rowToValues, type RecordJson } from './serialize.js';
import { emptyValues, failureMessage, validateCandidate, validateValues, type Op } from './validate.js';

export interface ListResult {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: RecordJson[];
}

export class RecordService {
  private readonly expander: Expander;

  constructor(
    private readonly db: Database,
    private readonly registry: CollectionRegistry,
    /** Hooks around every write; extensions bind here. */
    readonly hooks: RecordHooks = new RecordHooks(),
  ) {
    this.expander = new Expander(db, registry);
  }

  /** The collection named or identified by `ref`; 404 when there is none. */
  collection(ref: string): Collection {
    const collection = this.registry.find(ref);
    if (!collection) throw ApiError.notFound('Missing collection context.');
    return collection;
  }

  list(ref: string, params: ListParams, access: Access, request: RequestInfo = EMPTY_REQUEST): ListResult {
    const compiled = compile(this.collection(ref));
    const rule = resolveRule(this.ruleContext(access, request), compiled.collection, 'listRule');
    const { page, perPage, skipTotal } = pageParams(params);
    const query = buildListQuery(this.registry, compiled, rule, params, access, request);
    const rows = this.db.prepare(query.selectSql).all(...query.selectParams, perPage, (page - 1) * perPage) as Record<
      string,
      unknown
    >[];
    const values = rows.map((row) => rowToValues(compiled, row));
    const items = values.map((v) => exportRecord(compiled, v, access));
    this.expandInto(compiled, values, items, access, request);
    if (skipTotal) return { page, perPage, totalItems: -1, totalPages: -1, items };
    const { n } = this.db.prepare(query.countSql).get(...query.countParams) as { n: number };
    return { page, perPage, totalItems: n, totalPages: Math.ceil(n / perPage), items };
  }

  /** A record the caller may view; a record the view rule hides is a 404, like a missing one. */
  view(ref: string, id: string, access: Access, request: RequestInfo = EMPTY_REQUEST): RecordJson {
    const compiled = compile(this.collection(ref));
    const rule = resolveRule(this.ruleContext(access, request), compiled.collection, 'viewRule');
    return this.exportOne(compiled, this.loadPassing(compiled, rule, id), access, request);
  }

  async create(
    ref: string,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<RecordJson> {
    const collection = this.collection(ref);
    const result = await runRequestHook(this.hooks.onRecordCreateRequest, { collection, access, request, body }, (e) =>
      this.createRecord(compile(collection), e.body, access, request),
    );
    if (!result) throw ApiError.badRequest(failureMessage('create'));
    return result;
  }

  private async createRecord(
    compiled: CompiledCollection,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo,
  ): Promise<RecordJson> {
    const ctx = this.ruleContext(access, withBody(request, body));
    const rule = resolveRule(ctx, compiled.collection, 'createRule');
    const input = applyInput(compiled, emptyValues(compiled), body, access, 'create');
    const now = nowDateTime();
    if (input.values.id === '' || input.values.id === undefined) input.values.id = newRecordId();
    this.stampServerFields(compiled, input.values, 'create', now);
    validateCandidate(compiled, input, 'create', access);
    // The rule sees the record as it would be stored (verified stays false for non-superusers, as input.ts keeps it).
    if (!newRecordPasses(this.db, compiled, rule, input.values)) throw ApiError.badRequest(failureMessage('create'));
    await this.hashPasswords(compiled, input);
    const record = this.writeThroughHook(
      this.hooks.onRecordCreate,
      'create',
      compiled,
      input.values,
      access,
      request,
      (values) => {
        checkRelationsExist(this.db, this.registry, compiled, values, failureMessage('create'));
        this.db.prepare(compiled.insertSql).run(...this.toRow(compiled, values));
      },
    );
    await runAfterSuccess(this.hooks.onRecordAfterCreateSuccess, {
      collection: compiled.collection,
      record,
      access,
      request,
    });
    return this.exportOne(compiled, record, access, request);
  }

  async update(
    ref: string,
    id: string,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<RecordJson> {
    const collection = this.collection(ref);
    const result = await runRequestHook(
      this.hooks.onRecordUpdateRequest,
      { collection, access, request, body, id },
      (e) => this.updateRecord(compile(collection), id, e.body, access, request),
    );
    if (!result) throw ApiError.badRequest(failureMessage('update'));
    return result;
  }

  private async updateRecord(
    compiled: CompiledCollection,
    id: string,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo,
  ): Promise<RecordJson> {
    assertUnlocked(compiled.collection, 'updateRule', access);
    const stored = this.load(compiled, id);
    const rule = resolveRule(
      { ...this.ruleContext(access, withBody(request, body)), existing: stored },
      compiled.collection,
      'updateRule',
    );
    if (!storedRecordPasses(this.db, compiled, rule, id)) throw ApiError.notFound();
    const input = applyInput(compiled, stored, body, access, 'update');
    this.stampServerFields(compiled, input.values, 'update', nowDateTime());
    validateCandidate(compiled, input, 'update', access);
    if (input.passwords.size && !access.superuser && !(await this.oldPasswordMatches(stored, input))) {
      throw ApiError.badRequest(failureMessage('update'), {
        oldPassword: { code: 'validation_invalid_old_password', message: 'Missing or invalid old password.' },
      });
    }
    // Only a new password awaits: without one, nothing can write this record between the read and the write.
    if (input.passwords.size) await this.hashPasswords(compiled, input);
    const record = this.writeThroughHook(
      this.hooks.onRecordUpdate,
      'update',
      compiled,
      input.values,
      access,
      request,
      (values) => {
        checkRelationsExist(this.db, this.registry, compiled, values, failureMessage('update'));
        const result = this.db.prepare(compiled.updateSql).run(...this.toRow(compiled, values), id);
        // The record went away while the password was being hashed.
        if (result.changes === 0) throw ApiError.notFound();
      },
    );
    await runAfterSuccess(this.hooks.onRecordAfterUpdateSuccess, {
      collection: compiled.collection,
      record,
      access,
      request,
    });
    return this.exportOne(compiled, record, access, request);
  }

  async delete(ref: string, id: string, access: Access, request: RequestInfo = EMPTY_REQUEST): Promise<void> {
    const collection = this.collection(ref);
    await runRequestHook(this.hooks.onRecordDeleteRequest, { collection, access, request, body: {}, id }, () =>
      this.deleteRecord(compile(collection), id, access, request),
    );
  }

  private async deleteRecord(
    compiled: CompiledCollection,
    id: string,
    access: Access,
    request: RequestInfo,
  ): Promise<undefined> {
    const rule = resolveRule(this.ruleContext(access, request), compiled.collection, 'deleteRule');
    const stored = this.loadPassing(compiled, rule, id);
    const record = this.writeThroughHook(this.hooks.onRecordDelete, 'delete', compiled, stored, access, request, () =>
      this.deleteWithReferences(compiled.collection, id, nowDateTime(), new Set()),
    );
    await runAfterSuccess(this.hooks.onRecordAfterDeleteSuccess, {
      collection: compiled.collection,
      record,
      access,
      request,
    });
    return undefined;
  }

  /**
   * One transaction around the model hooks and the built-in write. Values a hook changed are validated
   * again before they are written. Returns the record as written.
   */
  private writeThroughHook(
    hook: Hook<RecordModelEvent>,
    op: Op | 'delete',
    compiled: CompiledCollection,
    values: RecordJson,
    access: Access,
    request: RequestInfo,
    inner: (values: RecordJson) => void,
  ): RecordJson {
    const tags = collectionTags(compiled.collection);
    if (hook.isEmpty(tags)) {
      // Without relations to check, a create or update is one statement: SQLite makes it atomic by itself,
      // and BEGIN/COMMIT around it would only add two round trips.
      const single = op !== 'delete' && !compiled.hasRelations;
      this.write(op, () => inner(values), single);
      return values;
    }
    const event = { collection: compiled.collection, record: values, access, request };
    this.write(op, () =>
      hook.triggerSync(event, tags, (e) => {
        if (op !== 'delete') validateValues(compiled, e.record, op);
        inner(e.record);
      }),
    );
    return event.record;
  }

  /** Deletes a record and settles every relation that points at it: cascade, detach, or refuse. */
  private deleteWithReferences(collection: Collection, id: string, now: string, visiting: Set<string>): void {
    const key = `${collection.id}/${id}`;
    if (visiting.has(key)) return;
    visiting.add(key);
    for (const ref of referencesTo(this.registry, collection)) {
      for (const recordId of referencingIds(this.db, ref, id)) {
        if (ref.cascadeDelete) this.deleteWithReferences(ref.collection, recordId, now, visiting);
        else detachReference(this.db, ref, recordId, id, now);
      }
    }
    this.db.prepare(compile(collection).deleteSql).run(id);
  }

  /** Adds the relations named by the request's `expand` parameter. */
  private expandInto(
    compiled: CompiledCollection,
    values: RecordJson[],
    items: RecordJson[],
    access: Access,
    request: RequestInfo,
  ) {
    const tree = parseExpand(request.query.expand);
    this.expander.expand(compiled, values, items, tree, access, request);
  }

  private exportOne(
    compiled: CompiledCollection,
    values: RecordJson,
    access: Access,
    request: RequestInfo,
  ): RecordJson {
    const item = exportRecord(compiled, values, access);
    this.expandInto(compiled, [values], [item], access, request);
    return item;
  }

  private ruleContext(access: Access, request: RequestInfo): RuleContext {
    return { registry: this.registry, access, request };
  }

  /** The stored record `id` if the rule lets this caller at it; 404 when it is missing or denied. */
  private loadPassing(compiled: CompiledCollection, rule: RuleOutcome, id: string): RecordJson {
    const row = loadPassing(this.db, compiled, rule, id);
    if (!row) throw ApiError.notFound();
    return rowToValues(compiled, row);
  }

  private load(compiled: CompiledCollection, id: string): RecordJson {
    return this.loadPassing(compiled, ALL_RULE, id);
  }

  /** Runs a write in one transaction (or alone when it is one statement); unique-index failures become field errors. */
  private write(op: Op | 'delete', fn: () => void, singleStatement = false): void {
    try {
      if (singleStatement) fn();
      else this.db.transaction(fn);
    } catch (err) {
      if (err instanceof ApiError || op === 'delete') throw err;
      throw constraintToApiError(err, failureMessage(op)) ?? err;
    }
  }

  private stampServerFields(compiled: CompiledCollection, values: RecordJson, op: Op, now: string): void {
    for (const name of compiled.stamps[op]) values[name] = now;
    if (op === 'create' && compiled.collection.type === 'auth') values.tokenKey = randomString(50);
  }

  private async hashPasswords(compiled: CompiledCollection, input: AppliedInput): Promise<void> {
    for (const [name, plain] of input.passwords) input.values[name] = await hashPassword(plain);
    // A new password signs the record out everywhere: its tokens were signed with the old key.
    if (input.passwords.size && compiled.collection.type === 'auth') input.values.tokenKey = randomString(50);
  }

  private async oldPasswordMatches(stored: RecordJson, input: AppliedInput): Promise<boolean> {
    return typeof input.oldPassword === 'string' && verifyPassword(String(stored.password ?? ''), input.oldPassword);
  }

  private toRow(compiled: CompiledCollection, values: RecordJson): unknown[] {
    return compiled.fields.map((f) => f.type.toDb(values[f.def.name], f.def));
  }
}
