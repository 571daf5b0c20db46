// Collections changed while the server runs (the collections API): every change goes through the same checks and
// the same sync as the files at start, in one transaction with the file writes, then the new schema is served at
// once. The files stay the truth: what the API changes is written back to them.
import type { Store, Transaction } from '../db/store.js';
import { ApiError, DefinitionError, type ErrorData } from '../errors.js';
import { typeOf } from '../fields/index.js';
import { checkRules } from '../records/index.js';
import { pageParams } from '../records/read/list-params.js';
import { FilterError } from '../query/index.js';
import { filterCollections } from './list-filter.js';
import { Catalog } from '../records/catalog.js';
import { CollectionFiles, type FileChange } from './files.js';
import { collectionsFromFiles, readCollectionFiles, type CollectionFileEntry } from './load.js';
import { RULE_NAMES, type Collection } from './model.js';
import { AUTH_OPTION_KEYS } from './definition-schema.js';
import { CollectionRegistry } from './registry.js';
import { schemaPlan, type PlanStep } from './plan.js';
import { syncCollections, type SyncReport } from './sync.js';
import { randomString } from '../ids.js';
import { Params } from '../settings/params.js';
import {
  isExternalAuths,
  isSuperusersJson,
  SUPERUSERS_ID,
  SUPERUSERS_SETTINGS,
  withSystemCollections,
} from './system-collections.js';
import { keepProviderSecrets, withoutProviderSecrets } from './oauth2-schema.js';
import { withSystemFields } from './system-fields.js';

type Json = Record<string, unknown>;

export interface ListPage {
  page: number;
  perPage: number;
  totalItems: number;
  totalPages: number;
  items: Json[];
}

/** The keys a collection body may set (PocketBase's collection JSON): those of a collection file. */
const BODY_KEYS = ['id', 'name', 'type', 'viewQuery', 'fields', 'indexes', ...RULE_NAMES, ...AUTH_OPTION_KEYS];

/** A collection as the API answers it: PocketBase's JSON (type options at the top level). */
export function exportCollection(collection: Collection): Json {
  const { options, ...rest } = collection;
  return { ...rest, ...options };
}

function sameJson(a: unknown, b: unknown): boolean {
  const norm = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(norm)
      : x && typeof x === 'object'
        ? Object.fromEntries(
            Object.entries(x)
              .filter(([, v]) => v !== undefined)
              .sort(([k1], [k2]) => k1.localeCompare(k2))
              .map(([k, v]) => [k, norm(v)]),
          )
        : x;
  return JSON.stringify(norm(a)) === JSON.stringify(norm(b));
}

/**
 * The file form of a body: only collection keys, and without the system fields that say nothing beyond the
 * defaults (so a file written by the API looks like one written by hand, and `git diff` shows just the change).
 */
function fileJson(body: Json): Json {
  const out: Json = {};
  for (const key of BODY_KEYS) if (body[key] !== undefined) out[key] = body[key];
  // A view's fields come from its query each time it is created: a file keeps only the query.
  if (out.type === 'view') delete out.fields;
  if (Array.isArray(out.fields)) {
    const type = out.type === 'auth' ? 'auth' : 'base';
    const defaults = new Map(withSystemFields(type, []).map((f) => [f.name, f]));
    out.fields = (out.fields as Json[]).filter((f) => {
      const standard = defaults.get(String(f?.name));
      return !(standard && f.system !== false && sameJson({ ...standard, ...f }, standard));
    });
  }
  return out;
}

/** The file changes that turn the collection files `before` into `after`. */
function changedFiles(before: ReadonlyMap<string, Json>, after: ReadonlyMap<string, Json>): FileChange[] {
  const changes: FileChange[] = [];
  for (const [name, json] of after) {
    const old = before.get(name);
    if (!old || JSON.stringify(old) !== JSON.stringify(json)) changes.push({ name, json });
  }
  for (const name of before.keys()) if (!after.has(name)) changes.push({ name, json: null });
  return changes;
}

/** A definition problem as PocketBase-style field errors. */
function definitionErrors(err: DefinitionError, body: Json): ErrorData {
  const detail = err.detail;
  const field = /^field "([^"]+)": (.*)$/.exec(detail);
  if (field) {
    const fields = Array.isArray(body.fields) ? (body.fields as Json[]) : [];
    const twice = /used twice/.test(field[2]!);
    // A name used twice is the later field's problem, as PocketBase reports it.
    const matches = fields.flatMap((f, i) => (f?.name === field[1] ? [i] : []));
    const index = (twice ? matches.at(-1) : matches[0]) ?? 0;
    const code = twice ? 'validation_not_unique' : 'validation_invalid_field';
    return { fields: { [index]: { name: { code, message: field[2]! } } } };
  }
  if (/is used by another file too/.test(detail)) {
    return {
      name: {
        code: 'validation_collection_name_exists',
        message: 'Collection name must be unique (case insensitive).',
      },
    };
  }
  const view = /^viewQuery: (.*)$/.exec(detail);
  if (view) return { viewQuery: { code: 'validation_invalid_view_query', message: view[1]! } };
  if (/^manageRule: cannot be blank/.test(detail)) {
    return { manageRule: { code: 'validation_nil_or_not_empty_required', message: 'Cannot be blank.' } };
  }
  const rule = /^(listRule|viewRule|createRule|updateRule|deleteRule|authRule|manageRule): (.*)$/.exec(detail);
  if (rule) return { [rule[1]!]: { code: 'validation_invalid_rule', message: rule[2]! } };
  const oauth2 = /^(oauth2(?:\.[A-Za-z0-9_]+)*): (.*)$/.exec(detail);
  if (oauth2) {
    // Nested as PocketBase nests it: {oauth2: {providers: {0: {clientId: {code, message}}}}}.
    const error: ErrorData = { code: 'validation_invalid_oauth2', message: oauth2[2]! } as unknown as ErrorData;
    return oauth2[1]!.split('.').reduceRight<ErrorData>((inner, key) => ({ [key]: inner }), error);
  }
  if (/^index /.test(detail)) return { indexes: { code: 'validation_invalid_index', message: detail } };
  if (/^"?name"? /.test(detail)) return { name: { code: 'validation_invalid_name', message: detail } };
  return { definition: { code: 'validation_invalid_definition', message: detail } };
}

/** One change of the collection files, ready to check and apply (or preview). */
interface Change {
  op: 'create' | 'update' | 'delete' | 'import';
  /** Every collection file's JSON as it would be. */
  next: Map<string, Json>;
  changes: FileChange[];
  /** What the caller sent, to name fields in errors. */
  body: Json;
  /** Collections whose tables go. */
  dropped?: Collection[];
  /** The collection's name afterwards (create, update). */
  name?: string;
}

/** What a change would do (see CollectionManager.preview). */
export interface SchemaPreview {
  collection: Json | null;
  plan: PlanStep[];
  files: { path: string; action: 'write' | 'delete' }[];
}

/**
 * The schema as the last change left it, kept in `_params` for the other processes sharing the database: the
 * collections served (ids, in order; their definitions are in `_collections`) and every collection file's JSON.
 * `version` is new with each change, so a process knows whether it already serves it.
 */
interface SchemaState {
  version: string;
  ids: string[];
  files: Record<string, Json>;
}

const SCHEMA_STATE = 'collections';

/** Serializes schema changes across the processes sharing the database (Coordination.withLock). */
export type SchemaLock = <T>(fn: () => Promise<T>) => Promise<T>;

/** Thrown inside a previewed change's transaction, once all is checked, to undo it. */
const ROLL_BACK = Symbol('roll back the preview');

export class CollectionManager {
  /** The JSON of every collection file, by collection name (as written, not completed). */
  private readonly raw = new Map<string, Json>();
  private readonly files: CollectionFiles;
  /** Changes run one at a time: each starts from what the previous one left. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();
  /** The version of the stored schema state this process serves (undefined: the one its files made at start). */
  private version: string | undefined;

  constructor(
    private readonly store: Store,
    private readonly registry: CollectionRegistry,
    collectionsDir: string,
    entries: readonly CollectionFileEntry[],
    /** Held around each change, so that two processes never change the schema at once (default: none, one process). */
    private readonly lock: SchemaLock = (fn) => fn(),
  ) {
    this.files = new CollectionFiles(collectionsDir, entries);
    for (const e of entries) {
      const json = e.json as Json;
      this.raw.set(String(json.name), json);
    }
  }

  /** Every collection as the API answers it: OAuth2 client secrets never leave the server (as in PocketBase). */
  list(): Json[] {
    return this.registry.all().map((c) => withoutProviderSecrets(exportCollection(c)));
  }

  /**
   * A page of GET /api/collections: `filter` in the filter language over the top-level keys, `sort` by name, id
   * or type (`-` for descending). A bad filter or sort is a 400.
   */
  page(params: { page?: unknown; perPage?: unknown; sort?: string; filter?: string }): ListPage {
    const { page, perPage } = pageParams(params);
    let all = this.list();
    if (params.filter?.trim()) {
      try {
        all = filterCollections(all, params.filter);
      } catch (err) {
        if (err instanceof FilterError) throw ApiError.badRequest(`Invalid filter: ${err.message}`);
        throw err;
      }
    }
    const sort = params.sort?.trim();
    if (sort) {
      const desc = sort.startsWith('-');
      const key = sort.replace(/^[-+]/, '');
      if (!['name', 'id', 'type'].includes(key)) throw ApiError.badRequest(`Invalid sort field "${key}".`);
      all = [...all].sort((a, b) => String(a[key]).localeCompare(String(b[key])) * (desc ? -1 : 1));
    }
    return {
      page,
      perPage,
      totalItems: all.length,
      totalPages: Math.ceil(all.length / perPage),
      items: all.slice((page - 1) * perPage, page * perPage),
    };
  }

  get(ref: string): Json {
    return withoutProviderSecrets(exportCollection(this.find(ref)));
  }

  private find(ref: string): Collection {
    const collection = this.registry.find(ref);
    if (!collection) throw ApiError.notFound("The requested resource wasn't found.");
    return collection;
  }

  create(body: Json): Promise<Json> {
    return this.exclusive(async () => {
      const change = this.creation(body);
      await this.apply(change);
      return this.get(change.name!);
    });
  }

  update(ref: string, body: Json): Promise<Json> {
    return this.exclusive(async () => {
      const current = this.find(ref);
      if (current.id === SUPERUSERS_ID) return this.updateSuperusers(current, body);
      const change = this.updating(ref, body);
      await this.apply(change);
      return this.get(change.name!);
    });
  }

  remove(ref: string): Promise<void> {
    return this.exclusive(async () => {
      await this.apply(this.removal(ref));
    });
  }

  /**
   * What a create, update or delete would do, without doing it: the collection as it would be, the steps it takes
   * on the stored data, and the files it writes. Checked exactly as the change itself (the same 400s), in a
   * transaction that is rolled back.
   */
  preview(op: 'create' | 'update' | 'delete', ref: string | undefined, body: Json): Promise<SchemaPreview> {
    return this.exclusive(async () => {
      const change =
        op === 'create' ? this.creation(body) : op === 'update' ? this.updating(ref!, body) : this.removal(ref!);
      // Checked first (a refused change answers its 400 here too); the definitions are then known to be sound.
      await this.apply(change, { rollBack: true });
      const definitions = this.definitionsOf(change.next);
      const plan = await schemaPlan(this.store, this.store.dialect, this.registry.all(), definitions);
      const after = change.name ? definitions.find((c) => c.name === change.name) : undefined;
      return {
        collection: after ? withoutProviderSecrets(exportCollection(after)) : null,
        plan,
        files: change.changes.map((c) => ({
          path: this.files.fileOf(c.name),
          action: c.json ? ('write' as const) : ('delete' as const),
        })),
      };
    });
  }

  private creation(body: Json): Change {
    // A scaffold's empty id (PocketBase's dashboard sends it back as is) means "make one".
    const json = fileJson(body.id === '' ? { ...body, id: undefined } : body);
    if (typeof json.name !== 'string' || json.name === '') {
      throw this.invalid('create', { name: { code: 'validation_required', message: 'Cannot be blank.' } });
    }
    if (this.registry.find(json.name)) {
      throw this.invalid('create', {
        name: {
          code: 'validation_collection_name_exists',
          message: 'Collection name must be unique (case insensitive).',
        },
      });
    }
    const next = new Map(this.raw);
    next.set(json.name, json);
    return { op: 'create', next, changes: [{ name: json.name, json }], body, name: json.name };
  }

  private updating(ref: string, body: Json): Change {
    const current = this.find(ref);
    if (current.id === SUPERUSERS_ID || isExternalAuths(current)) {
      throw this.invalid('update', {
        name: {
          code: 'validation_system_collection',
          message: `The built-in ${current.name} collection is not changed through the API.`,
        },
      });
    }
    const before = this.raw.get(current.name) ?? fileJson(exportCollection(current));
    // The API never shows client secrets, so a provider sent back without one keeps the one it had.
    const json = keepProviderSecrets(fileJson({ ...before, ...body, id: current.id }), before);
    if (json.type !== before.type && (json.type ?? 'base') !== (before.type ?? 'base')) {
      throw this.invalid('update', {
        type: { code: 'validation_collection_type_change', message: 'The collection type cannot be changed.' },
      });
    }
    const name = String(json.name);
    if (current.system && name !== current.name) {
      throw this.invalid('update', {
        name: { code: 'validation_system_collection_name_change', message: 'System collections cannot be renamed.' },
      });
    }
    const next = new Map(this.raw);
    next.delete(current.name);
    next.set(name, json);
    const changes: FileChange[] = [{ name, json }];
    if (name !== current.name) changes.push({ name: current.name, json: null });
    // Errors name fields by their place in what the caller sent (or in the file, when it sent no fields).
    return { op: 'update', next, changes, body: { ...before, ...body }, name };
  }

  private removal(ref: string): Change {
    const current = this.find(ref);
    if (current.system || current.id === SUPERUSERS_ID) {
      throw this.invalid('delete', {
        id: { code: 'validation_system_collection', message: 'System collections cannot be deleted.' },
      });
    }
    const referencing = this.registry
      .all()
      .filter((c) => c !== current && c.fields.some((f) => typeOf(f).references?.target(f) === current.id));
    if (referencing.length) {
      throw ApiError.badRequest(
        `Failed to delete collection: it is referenced by ${referencing.map((c) => `"${c.name}"`).join(', ')}.`,
        {
          id: {
            code: 'validation_collection_in_use',
            message: `Referenced by ${referencing.map((c) => c.name).join(', ')}.`,
          },
        },
      );
    }
    const next = new Map(this.raw);
    next.delete(current.name);
    return { op: 'delete', next, changes: [{ name: current.name, json: null }], body: {}, dropped: [current] };
  }

  /** PUT /api/collections/import: the given collections created or replaced; with deleteMissing, the others go. */
  importAll(list: unknown, deleteMissing: boolean): Promise<void> {
    return this.exclusive(async () => {
      if (!Array.isArray(list) || !list.length) {
        throw ApiError.badRequest('Failed to import collections.', {
          collections: { code: 'validation_required', message: 'Cannot be blank.' },
        });
      }
      // The _superusers settings file is not a collection an import replaces or drops.
      const next = new Map(deleteMissing ? [...this.raw].filter(([, json]) => isSuperusersJson(json)) : this.raw);
      const changes: FileChange[] = [];
      const dropped: Collection[] = [];
      for (const item of list as Json[]) {
        // Built in, not imported.
        if (item?.name === '_superusers' || item?.id === SUPERUSERS_ID || isExternalAuths(item ?? {})) continue;
        const existing = this.registry.find(String(item?.id ?? '')) ?? this.registry.find(String(item?.name ?? ''));
        const json = keepProviderSecrets(fileJson(item ?? {}), existing ? this.raw.get(existing.name) : undefined);
        if (existing && existing.name !== json.name) {
          next.delete(existing.name);
          changes.push({ name: existing.name, json: null });
        }
        next.set(String(json.name), json);
        changes.push({ name: String(json.name), json });
      }
      if (deleteMissing) {
        for (const c of this.registry.all()) {
          if (c.id === SUPERUSERS_ID || isExternalAuths(c) || next.has(c.name)) continue;
          if (c.system)
            throw this.invalid('import', {
              collections: {
                code: 'validation_system_collection',
                message: `System collection "${c.name}" cannot be deleted.`,
              },
            });
          dropped.push(c);
          if (!changes.some((ch) => ch.name === c.name)) changes.push({ name: c.name, json: null });
        }
      }
      await this.apply({ op: 'import', next, changes, body: {}, dropped });
    });
  }

  /**
   * PATCH of `_superusers`: its settings (token lifetimes, MFA, OTP, alert) change like any auth collection's and
   * are kept in collections/_superusers.json; anything else it is sent must be what it already is.
   */
  private async updateSuperusers(current: Collection, body: Json): Promise<Json> {
    const exported = exportCollection(current);
    const settings = SUPERUSERS_SETTINGS as readonly string[];
    for (const [key, value] of Object.entries(body)) {
      if (settings.includes(key) || ['created', 'updated'].includes(key)) continue;
      if (key in exported && sameJson(value, exported[key])) continue;
      throw this.invalid('update', {
        [key]: {
          code: 'validation_system_collection',
          message: `Only the settings of the built-in _superusers collection change (${settings.join(', ')}).`,
        },
      });
    }
    const before = this.raw.get(current.name) ?? {};
    const json: Json = { name: current.name };
    for (const key of settings) {
      const value = body[key] !== undefined ? body[key] : before[key];
      if (value !== undefined) json[key] = value;
    }
    const next = new Map(this.raw);
    next.set(current.name, json);
    await this.apply({ op: 'update', next, changes: [{ name: current.name, json }], body });
    return this.get(current.name);
  }

  private invalid(op: 'create' | 'update' | 'delete' | 'import', data: ErrorData): ApiError {
    const message = op === 'import' ? 'Failed to import collections.' : `Failed to ${op} collection.`;
    return ApiError.badRequest(message, data);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * A schema change: one at a time in this process and, under the schema lock, across the processes sharing the
   * database; it starts from the schema the last change of any of them left (caught up first).
   */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(() =>
      this.lock(async () => {
        await this.catchUp();
        return fn();
      }),
    );
  }

  /**
   * Re-reads the collections directory (`satchel serve --watch`, after an edit on disk) and serves what it holds,
   * through the same checks and sync as a start. A definition that fails throws its DefinitionError and leaves
   * the running schema as it was. False when the files are as the server last saw them.
   */
  reloadFromDisk(options: { allowDataLoss?: boolean } = {}): Promise<boolean> {
    return this.exclusive(async () => {
      const entries = readCollectionFiles(this.files.dir);
      if (this.files.matches(entries)) return false;
      const next = new Map(entries.map((e) => [String((e.json as Json).name), e.json as Json]));
      await this.install(next, { allowDataLoss: options.allowDataLoss ?? false });
      this.files.remember(entries);
      return true;
    });
  }

  /**
   * Checks `next` (every collection file as it would be) exactly as a start would, then in one transaction syncs
   * the database, drops the tables of `dropped` and writes the files; then serves the new collections. With
   * `rollBack`, the transaction is undone once everything has been checked, and nothing is written or served.
   */
  private async apply(change: Change, options: { rollBack?: boolean } = {}): Promise<void> {
    const { op, next, changes, body, dropped = [] } = change;
    this.files.assertUnchanged(changes.map((c) => c.name));
    try {
      // Fields the change removed go with their data: an API change says so explicitly.
      await this.install(next, {
        allowDataLoss: true,
        alsoInTransaction: async (tx) => {
          for (const c of dropped) {
            await tx.exec(`DROP TABLE IF EXISTS ${this.store.dialect.quote(c.name)}`);
            await tx.run('DELETE FROM _collections WHERE id = ?', [c.id]);
          }
          if (options.rollBack) throw ROLL_BACK;
          // Last, so that a refused write of the files rolls the database back with it.
          this.files.write(changes);
        },
      });
    } catch (err) {
      if (err === ROLL_BACK) {
        // The sync's statements were prepared against a schema that was rolled back.
        this.store.schemaChanged();
        return;
      }
      if (err instanceof DefinitionError) throw this.invalid(op, definitionErrors(err, body));
      throw err;
    }
  }

  /** Called after each schema change this process makes and serves (to tell the other processes). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * After the start's sync, under the same schema lock: when it changed the database (or left collections without a
   * file unserved), what this process's files made is stored as the schema of every process, and true is returned
   * (the others are to be told). Otherwise the stored schema is the one this process serves already.
   */
  started(report: SyncReport): Promise<boolean> {
    return this.serial(async () => {
      const params = new Params(this.store);
      if (report.created.length || report.changed.length || report.detached.length) {
        const state = this.state(this.registry.all(), this.raw);
        await params.set(SCHEMA_STATE, state);
        this.version = state.version;
        return true;
      }
      this.version = (await params.get<SchemaState>(SCHEMA_STATE))?.version;
      return false;
    });
  }

  /**
   * Serves the schema another process changed (told by its notice, or after notices may have been missed): the
   * collections are read back from `_collections`, and the collection files follow what it wrote (see
   * CollectionFiles.follow). Nothing happens when this process already serves the stored version.
   */
  adoptStored(): Promise<void> {
    return this.serial(() => this.catchUp());
  }

  private async catchUp(): Promise<void> {
    const state = await new Params(this.store).get<SchemaState>(SCHEMA_STATE);
    if (!state || state.version === this.version) return;
    const rows = await this.store.all<{ id: string; definition: string }>('SELECT id, definition FROM _collections');
    const stored = new Map(rows.map((r) => [r.id, r.definition]));
    const collections = state.ids.flatMap((id) => {
      const definition = stored.get(id);
      return definition === undefined ? [] : [JSON.parse(definition) as Collection];
    });
    const next = new Map(Object.entries(state.files));
    const files = changedFiles(this.raw, next);
    this.store.schemaChanged();
    this.raw.clear();
    for (const [name, json] of next) this.raw.set(name, json);
    this.registry.replace(collections);
    this.files.follow(files);
    this.version = state.version;
  }

  private state(collections: readonly Collection[], files: ReadonlyMap<string, Json>): SchemaState {
    return { version: randomString(15), ids: collections.map((c) => c.id), files: Object.fromEntries(files) };
  }

  private changed(state: SchemaState): void {
    this.version = state.version;
    for (const listener of this.listeners) listener();
  }

  /** The collections that the files `next` define (with the system ones), as a start reads them. */
  private definitionsOf(next: Map<string, Json>): Collection[] {
    const entries = [...next].map(([name, json]) => ({ file: this.files.fileOf(name), json }));
    return withSystemCollections(this.files.dir, entries, collectionsFromFiles);
  }

  /** The checks and the sync of a start, for the collections `next`, in one transaction; then served. */
  private async install(
    next: Map<string, Json>,
    options: { allowDataLoss: boolean; alsoInTransaction?: (tx: Transaction) => Promise<void> },
  ): Promise<void> {
    const definitions = this.definitionsOf(next);
    const rulesOf = (all: Collection[], views: boolean) => {
      const trial = new CollectionRegistry();
      trial.replace(all);
      // A view's rules are checked once its fields are known (inside the sync).
      checkRules(
        new Catalog(trial, this.store.dialect),
        all.filter((c) => (c.type === 'view') === views),
      );
    };
    rulesOf(definitions, false);
    const state = this.state(definitions, next);
    await this.store.transaction(async (tx) => {
      await syncCollections(this.store, definitions, {
        allowDataLoss: options.allowDataLoss,
        check: (all) => rulesOf(all, true),
      });
      await options.alsoInTransaction?.(tx);
      // With the change itself: a process that adopts it reads both at once.
      await new Params(tx).set(SCHEMA_STATE, state);
    });
    this.store.schemaChanged();
    this.raw.clear();
    for (const [name, json] of next) this.raw.set(name, json);
    this.registry.replace(definitions);
    this.changed(state);
  }
}
