// The record engine's façade: list, view, create, update and delete with a caller's access, and the pieces
// the rest of the engine (auth, plugins) builds on. Auth and extensions depend on this, not on the files behind it.
import type { Store } from '../db/store.js';
import type { FileStorage } from '../files/storage.js';
import type { Collection, RuleName } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import { ApiError, type FieldError } from '../errors.js';
import { SUPERUSER, type Access } from './access.js';
import { Catalog } from './catalog.js';
import type { CompiledCollection } from './compiled.js';
import { RecordHooks, runRequestHook } from './events.js';
import { viewOfChange } from './read/change-view.js';
import { exportRecord, type RecordJson } from './read/export.js';
import type { ListParams } from './read/list-params.js';
import { RecordReader, type ListResult } from './read/reader.js';
import { EMPTY_REQUEST, type RequestInfo } from './request-info.js';
import { storedRecordPasses } from './rules/checks.js';
import { resolveRule, type AuthRuleName } from './rules/resolve.js';
import type { WriteDeps } from './write/context.js';
import { createRecord } from './write/create.js';
import { deleteRecord } from './write/delete.js';
import { RecordWriter, type WriteContext } from './write/pipeline.js';
import { updateRecord } from './write/update.js';
import { failureMessage } from './write/validate.js';

export type { ListResult } from './read/reader.js';

export class RecordService {
  readonly catalog: Catalog;
  /** Hooks around every write; extensions bind here. */
  readonly hooks: RecordHooks;
  /** The one write path, for the engine's own writes (auth flows): events fire as for any other write. */
  readonly writer: RecordWriter;
  private readonly reader: RecordReader;
  private readonly deps: WriteDeps;

  constructor(
    private readonly store: Store,
    registry: CollectionRegistry,
    /** Where uploaded files are kept. */
    readonly files: FileStorage,
    hooks: RecordHooks = new RecordHooks(),
  ) {
    this.hooks = hooks;
    this.catalog = new Catalog(registry, store.dialect);
    this.reader = new RecordReader(store, this.catalog);
    this.writer = new RecordWriter(store, this.catalog, hooks);
    this.deps = { store, catalog: this.catalog, hooks, reader: this.reader, writer: this.writer, files };
  }

  /** The collection named or identified by `ref`; 404 when there is none. */
  collection(ref: string): Collection {
    return this.catalog.collection(ref);
  }

  /** Reads the stored schema again (set when other processes share the database); one read at a time. */
  private refreshSchema: (() => Promise<void>) | undefined;
  private refreshing: Promise<void> | undefined;

  /**
   * With other processes on the same database, a collection unknown here may have been made a moment ago by one of
   * them, its notice still on the way: the CRUD calls then read the stored schema once before answering 404.
   */
  refreshSchemaWith(refresh: () => Promise<void>): void {
    this.refreshSchema = refresh;
  }

  /** Resolves once `ref` is known here, or once the stored schema was read again and it is still unknown. */
  private known(ref: string): Promise<void> | undefined {
    if (!this.refreshSchema || this.catalog.find(ref)) return undefined;
    return (this.refreshing ??= this.refreshSchema().finally(() => (this.refreshing = undefined)));
  }

  private compiled(ref: string): CompiledCollection {
    return this.catalog.compiled(this.collection(ref));
  }

  async list(
    ref: string,
    params: ListParams,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<ListResult> {
    await this.known(ref);
    return this.reader.list(this.compiled(ref), params, access, request);
  }

  /** A record the caller may view; a record the view rule hides is a 404, like a missing one. */
  view(ref: string, id: string, access: Access, request: RequestInfo = EMPTY_REQUEST): Promise<RecordJson> {
    const refreshed = this.known(ref);
    if (refreshed) return refreshed.then(() => this.reader.view(this.compiled(ref), id, access, request));
    try {
      return this.reader.view(this.compiled(ref), id, access, request);
    } catch (err) {
      // An unknown collection or a locked rule: rejected like any other failure of the call.
      return Promise.reject(err);
    }
  }

  /** The collection named by `ref`, which must take writes: a view collection's records are read-only. */
  private writable(ref: string): Collection {
    const collection = this.collection(ref);
    if (collection.type === 'view') throw ApiError.badRequest('View collection records are read-only.');
    return collection;
  }

  async create(
    ref: string,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<RecordJson> {
    await this.known(ref);
    const collection = this.writable(ref);
    const result = await runRequestHook(this.hooks.onRecordCreateRequest, { collection, access, request, body }, (e) =>
      createRecord(this.deps, this.catalog.compiled(collection), e.body, access, request),
    );
    if (!result) throw ApiError.badRequest(failureMessage('create'));
    return result;
  }

  async update(
    ref: string,
    id: string,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo = EMPTY_REQUEST,
  ): Promise<RecordJson> {
    await this.known(ref);
    const collection = this.writable(ref);
    const result = await runRequestHook(
      this.hooks.onRecordUpdateRequest,
      { collection, access, request, body, id },
      (e) => updateRecord(this.deps, this.catalog.compiled(collection), id, e.body, access, request),
    );
    if (!result) throw ApiError.badRequest(failureMessage('update'));
    return result;
  }

  async delete(ref: string, id: string, access: Access, request: RequestInfo = EMPTY_REQUEST): Promise<void> {
    await this.known(ref);
    const collection = this.writable(ref);
    await runRequestHook(this.hooks.onRecordDeleteRequest, { collection, access, request, body: {}, id }, async () => {
      await deleteRecord(this.deps, this.catalog.compiled(collection), id, access, request);
      return undefined;
    });
  }

  /**
   * Deletes every record of a collection, each through the write pipeline (hooks, cascades, realtime and file
   * cleanup see each one), as a superuser.
   */
  async truncate(ref: string): Promise<void> {
    for (;;) {
      const page = await this.list(ref, { perPage: 500, skipTotal: true }, SUPERUSER);
      if (!page.items.length) return;
      for (const item of page.items) await this.delete(ref, String(item.id), SUPERUSER);
    }
  }

  // --- For the rest of the engine: stored values (hidden fields included), exports and rule checks. ---

  /** The stored values of record `id` (hidden fields included). */
  storedById(collection: Collection, id: string): Promise<RecordJson | undefined> {
    return this.reader.stored(this.catalog.compiled(collection), id);
  }

  /**
   * Whether record `id` exists, for a write about to choose between creating and updating it (a batch upsert).
   * Inside a transaction, where writers run concurrently, the choice of `id` is held until it ends: another such
   * write of the same id waits, then finds the record this one created.
   */
  async existsForWrite(collection: Collection, id: string): Promise<boolean> {
    const lockName = this.store.dialect.concurrentWrites?.lockName;
    if (lockName && this.store.current()) await this.store.one(lockName, [`satchel:record:${collection.id}/${id}`]);
    return (await this.storedById(collection, id)) !== undefined;
  }

  /** The stored record whose `field` equals `value`, ignoring case. */
  storedByField(collection: Collection, field: string, value: string): Promise<RecordJson | undefined> {
    return this.reader.storedByField(collection, field, value);
  }

  count(collection: Collection): Promise<number> {
    return this.reader.count(collection);
  }

  /**
   * What `access` would see of a changed record through the list (`listRule`) or view (`viewRule`) route, with
   * the request's filter, expand and fields, judged by `values` (a deleted record's last values); undefined when
   * the rule or the filter hides it. For realtime subscribers.
   */
  viewOfChange(
    collection: Collection,
    values: RecordJson,
    rule: 'listRule' | 'viewRule',
    access: Access,
    request: RequestInfo,
  ): Promise<RecordJson | undefined> {
    const compiled = this.catalog.compiled(collection);
    return viewOfChange(this.store, this.catalog, this.reader, compiled, values, rule, access, request);
  }

  /** The record as `access` may see it (no expand). */
  export(collection: Collection, values: RecordJson, access: Access): RecordJson {
    return exportRecord(this.catalog.compiled(collection), values, access);
  }

  /** The record as `access` may see it, with the relations the request's `expand` names. */
  async exportExpanded(
    collection: Collection,
    values: RecordJson,
    access: Access,
    request: RequestInfo,
  ): Promise<RecordJson> {
    return this.reader.exportOne(this.catalog.compiled(collection), values, access, request);
  }

  /** True when the stored record `id` passes the collection's `rule` for `access`; a locked rule is false. */
  async passesRule(
    collection: Collection,
    rule: RuleName | AuthRuleName,
    id: string,
    access: Access,
  ): Promise<boolean> {
    try {
      const outcome = resolveRule({ catalog: this.catalog, access }, collection, rule);
      return await storedRecordPasses(this.store, this.catalog.compiled(collection), outcome, id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 403) return false;
      throw err;
    }
  }

  /** The problem with `plain` as the new value of the sealed field `name` (a password), if any. */
  sealedProblem(collection: Collection, name: string, plain: string): FieldError | undefined {
    const field = this.sealedField(collection, name);
    return field.type.sealed!.check(plain, field.def);
  }

  /** The stored form of `plain` for the sealed field `name` (a password's hash). */
  seal(collection: Collection, name: string, plain: string): Promise<string> {
    const field = this.sealedField(collection, name);
    return field.type.sealed!.seal(plain, field.def);
  }

  /** True when `plain` matches the stored value of the sealed field `name`. */
  matchesSealed(collection: Collection, name: string, stored: unknown, plain: string): Promise<boolean> {
    const field = this.sealedField(collection, name);
    return typeof stored === 'string' && stored !== ''
      ? field.type.sealed!.matches(stored, plain)
      : Promise.resolve(false);
  }

  /** True when the stored value of the sealed field `name` is in a scheme that should be replaced (bcrypt). */
  sealedOutdated(collection: Collection, name: string, stored: unknown): boolean {
    const field = this.sealedField(collection, name);
    return typeof stored === 'string' && stored !== '' && field.type.sealed!.outdated?.(stored) === true;
  }

  /** A fresh value for a field that generates its own (a token key), as a new record would get. */
  generate(collection: Collection, name: string): string {
    const field = this.catalog.compiled(collection).byName.get(name);
    const value = field?.type.generate?.(field.def);
    if (value === undefined) throw new Error(`field "${name}" of "${collection.name}" generates no values`);
    return value;
  }

  private sealedField(collection: Collection, name: string) {
    const field = this.catalog.compiled(collection).byName.get(name);
    if (!field?.type.sealed) throw new Error(`"${collection.name}" has no sealed field "${name}"`);
    return field;
  }

  /**
   * Changes a stored record through the write pipeline (events included) as it is at the moment of the write;
   * see RecordWriter.change. Undefined when the record is gone or `change` declined.
   */
  change(
    collection: Collection,
    id: string,
    change: (current: RecordJson) => RecordJson | undefined,
    ctx: WriteContext,
  ): Promise<RecordJson | undefined> {
    return this.writer.change(this.catalog.compiled(collection), id, change, ctx);
  }
}
