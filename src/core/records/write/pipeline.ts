// The one write path: every change to a record (an API call, a cascade, a detach, an auth flow, a hook's own
// write) goes through here, inside a transaction, and fires the model events for every record it touches.
import type { Store, Transaction } from '../../db/store.js';
import { nowDateTime } from '../../datetime.js';
import { ApiError, storeFailureAsApiError } from '../../errors.js';
import type { Hook } from '../../hooks.js';
import type { Op } from '../../fields/types.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import { toRow, type CompiledCollection } from '../compiled.js';
import {
  collectionTags,
  runAfterHook,
  type RecordErrorEvent,
  type RecordHooks,
  type RecordModelEvent,
  type RecordSuccessEvent,
  type WriteCause,
} from '../events.js';
import { rowToValues, type RecordJson } from '../read/export.js';
import type { RequestInfo } from '../request-info.js';
import { assertIdFreeAcrossAuthCollections } from './auth-collection.js';
import { checkReferencesExist, detachedValue, referencingIds } from './references.js';
import { failureMessage, validateValues } from './validate.js';

/** Who is writing, and why. */
export interface WriteContext {
  access: Access;
  request: RequestInfo;
  cause?: WriteCause;
  /** The message of a 400 this write fails with (default: PocketBase's "Failed to create record." …). */
  failure?: string;
}

type Action = Op | 'delete';

interface Touched {
  action: Action;
  event: Omit<RecordModelEvent, 'next'>;
  change: RecordChange;
}

/** One record a write touched, as change listeners (realtime) get it. */
export interface RecordChange {
  action: Action;
  collection: CompiledCollection['collection'];
  /** The values written (for a delete: the last values the record had). */
  record: RecordJson;
  cause?: WriteCause;
}

/**
 * Told of every change the pipeline makes, with no hook machinery in between (realtime listens here: a write
 * nobody listens to must not pay for it).
 */
export interface ChangeListener {
  /** Inside the transaction, just before a record is deleted: it and what it points at still exist. */
  beforeDelete?(change: RecordChange): void | Promise<void>;
  /**
   * Inside the transaction, just before an auth record is updated: the stored values are still the old ones, and
   * `change.record` (what will be written) may still be changed.
   */
  beforeAuthUpdate?(change: RecordChange): void | Promise<void>;
  /** After the commit: every record the write touched, in order. Must not throw. */
  committed(changes: RecordChange[]): void;
  /** After a rollback: the same changes, which never happened. */
  rolledBack?(changes: RecordChange[]): void;
}

const HOOKS: Record<Action, { model: keyof RecordHooks; success: keyof RecordHooks; error: keyof RecordHooks }> = {
  create: { model: 'onRecordCreate', success: 'onRecordAfterCreateSuccess', error: 'onRecordAfterCreateError' },
  update: { model: 'onRecordUpdate', success: 'onRecordAfterUpdateSuccess', error: 'onRecordAfterUpdateError' },
  delete: { model: 'onRecordDelete', success: 'onRecordAfterDeleteSuccess', error: 'onRecordAfterDeleteError' },
};

export class RecordWriter {
  private listeners: ChangeListener[] = [];

  constructor(
    private readonly store: Store,
    private readonly catalog: Catalog,
    private readonly hooks: RecordHooks,
  ) {}

  /** Adds a listener told of every change; returns a function that removes it. */
  listen(listener: ChangeListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  /** `select` (one table's rows) holding them against other writers until the transaction ends, where needed. */
  private forUpdate(select: string): string {
    const lock = this.store.dialect.concurrentWrites?.forUpdate;
    return lock ? `${select} ${lock}` : select;
  }

  private committed(changes: RecordChange[]): void {
    for (const listener of this.listeners) listener.committed(changes);
  }

  /** Inserts a new record whose values are complete and valid (sealed fields sealed). Returns it as written. */
  create(compiled: CompiledCollection, values: RecordJson, ctx: WriteContext): Promise<RecordJson> {
    // Nothing to check in other tables and nobody to tell inside the transaction: one statement is atomic alone.
    const isAuth = compiled.collection.type === 'auth';
    if (!compiled.references.length && !isAuth && this.quiet('create', compiled) && !this.store.current()) {
      return this.single('create', compiled, values, ctx, () =>
        this.store.run(compiled.insertSql, toRow(compiled, values)),
      );
    }
    return this.inTransaction(ctx, (tx, touched) => this.createIn(tx, touched, compiled, values, ctx));
  }

  /** Writes `values` over the stored record `values.id`. 404 when it is gone. Returns it as written. */
  update(compiled: CompiledCollection, values: RecordJson, ctx: WriteContext): Promise<RecordJson> {
    // An auth record's update may have listeners inside the transaction (beforeAuthUpdate): no fast path.
    const isAuth = compiled.collection.type === 'auth';
    if (!compiled.references.length && !isAuth && this.quiet('update', compiled) && !this.store.current()) {
      return this.single('update', compiled, values, ctx, async () => {
        const result = await this.store.run(compiled.updateSql, [...toRow(compiled, values), values.id]);
        if (result.changes === 0) throw ApiError.notFound();
      });
    }
    return this.inTransaction(ctx, (tx, touched) => this.updateIn(tx, touched, compiled, values, ctx));
  }

  /**
   * Changes a record as it is stored at the moment of the write: `change` sees the current values and answers
   * the fields to set, or undefined to leave the record alone (a one-time token already spent). Only the fields
   * it sets are validated. Undefined when there was no such record or nothing was written.
   */
  change(
    compiled: CompiledCollection,
    id: string,
    change: (current: RecordJson) => RecordJson | undefined,
    ctx: WriteContext,
  ): Promise<RecordJson | undefined> {
    return this.inTransaction(ctx, async (tx, touched) => {
      // Read to be written: concurrent changes of one record take turns, none is lost (a token spent once).
      const row = await tx.one(this.forUpdate(compiled.selectByIdSql), [id]);
      if (!row) return undefined;
      const current = rowToValues(compiled, row);
      const changes = change(current);
      if (!changes) return undefined;
      const values = { ...current, ...changes };
      stamp(compiled, values, 'update', nowDateTime());
      validateValues(compiled, values, 'update', Object.keys(changes));
      return this.updateIn(tx, touched, compiled, values, ctx, true);
    });
  }

  /** Deletes the stored record `values.id` and settles every reference to it: cascade, detach or refuse. */
  async delete(compiled: CompiledCollection, values: RecordJson, ctx: WriteContext): Promise<void> {
    await this.inTransaction(ctx, (tx, touched) => this.deleteIn(tx, touched, compiled, values, ctx, new Set()));
  }

  /** True when no model hook would run for this collection (so the write needs no event). */
  private quiet(action: Action, compiled: CompiledCollection): boolean {
    return this.hook<RecordModelEvent>(HOOKS[action].model).isEmpty(collectionTags(compiled.collection));
  }

  private hook<E extends { next(): unknown }>(name: keyof RecordHooks): Hook<E> {
    return this.hooks[name] as unknown as Hook<E>;
  }

  /** The fast path: one statement outside a transaction, still followed by the after-commit events. */
  private async single(
    action: Action,
    compiled: CompiledCollection,
    values: RecordJson,
    ctx: WriteContext,
    write: () => Promise<unknown>,
  ): Promise<RecordJson> {
    try {
      await write();
    } catch (err) {
      const error = storeFailureAsApiError(err, ctx.failure ?? failureMessage(action));
      await runAfterHook(this.hook<RecordErrorEvent>(HOOKS[action].error), {
        ...this.event(compiled, values, ctx),
        error,
      });
      throw error;
    }
    if (this.listeners.length) this.committed([changeOf(action, compiled, values, ctx)]);
    const success = this.hook<RecordSuccessEvent>(HOOKS[action].success);
    if (!success.isEmpty(collectionTags(compiled.collection))) {
      await runAfterHook(success, this.event(compiled, values, ctx));
    }
    return values;
  }

  /**
   * Runs `body` in a transaction (or the one already open in this async flow). After the outermost commit,
   * the success events of every touched record; after a rollback, their error events.
   */
  private async inTransaction<T>(
    ctx: WriteContext,
    body: (tx: Transaction, touched: Touched[]) => Promise<T>,
  ): Promise<T> {
    const touched: Touched[] = [];
    try {
      return await this.store.transaction(async (tx) => {
        const result = await body(tx, touched);
        tx.afterCommit(async () => {
          if (this.listeners.length) this.committed(touched.map((t) => t.change));
          for (const { action, event } of touched)
            await runAfterHook(this.hook<RecordSuccessEvent>(HOOKS[action].success), event);
        });
        return result;
      });
    } catch (err) {
      const error = storeFailureAsApiError(err, ctx.failure ?? failureMessage(touched[0]?.action ?? 'update'));
      const changes = touched.map((t) => t.change);
      for (const listener of this.listeners) listener.rolledBack?.(changes);
      for (const { action, event } of touched) {
        await runAfterHook(this.hook<RecordErrorEvent>(HOOKS[action].error), { ...event, error });
      }
      throw error;
    }
  }

  private event(compiled: CompiledCollection, values: RecordJson, ctx: WriteContext): Omit<RecordModelEvent, 'next'> {
    const event: Omit<RecordModelEvent, 'next'> = {
      collection: compiled.collection,
      record: values,
      access: ctx.access,
      request: ctx.request,
    };
    if (ctx.cause) event.cause = ctx.cause;
    return event;
  }

  /** Fires the model hook around `write`; values a hook changed are validated again before they are written. */
  private async withModelHook(
    action: Action,
    compiled: CompiledCollection,
    values: RecordJson,
    ctx: WriteContext,
    touched: Touched[],
    write: (record: RecordJson) => Promise<void>,
  ): Promise<RecordJson> {
    const event = this.event(compiled, values, ctx);
    const change = changeOf(action, compiled, values, ctx);
    touched.push({ action, event, change });
    const hook = this.hook<RecordModelEvent>(HOOKS[action].model);
    const tags = collectionTags(compiled.collection);
    if (hook.isEmpty(tags)) {
      await this.before(change);
      await write(values);
      return values;
    }
    await hook.trigger(event, tags, async (e) => {
      if (action !== 'delete') validateValues(compiled, e.record, action);
      // What listeners get is what is written, after every hook had its say.
      change.record = e.record;
      await this.before(change);
      await write(e.record);
    });
    return event.record;
  }

  /** Tells the listeners what is about to be written (deletes; updates of auth records). */
  private async before(change: RecordChange): Promise<void> {
    if (change.action === 'delete') {
      for (const listener of this.listeners) await listener.beforeDelete?.(change);
    } else if (change.action === 'update' && change.collection.type === 'auth') {
      for (const listener of this.listeners) await listener.beforeAuthUpdate?.(change);
    }
  }

  private createIn(
    tx: Transaction,
    touched: Touched[],
    compiled: CompiledCollection,
    values: RecordJson,
    ctx: WriteContext,
  ): Promise<RecordJson> {
    return this.withModelHook('create', compiled, values, ctx, touched, async (record) => {
      const failure = ctx.failure ?? failureMessage('create');
      if (compiled.collection.type === 'auth') {
        await assertIdFreeAcrossAuthCollections(tx, this.catalog, compiled, record.id, failure);
      }
      await checkReferencesExist(tx, this.catalog, compiled, record, failure);
      await tx.run(compiled.insertSql, toRow(compiled, record));
    });
  }

  private updateIn(
    tx: Transaction,
    touched: Touched[],
    compiled: CompiledCollection,
    values: RecordJson,
    ctx: WriteContext,
    referencesChecked = false,
  ): Promise<RecordJson> {
    return this.withModelHook('update', compiled, values, ctx, touched, async (record) => {
      if (!referencesChecked) {
        await checkReferencesExist(tx, this.catalog, compiled, record, ctx.failure ?? failureMessage('update'));
      }
      const result = await tx.run(compiled.updateSql, [...toRow(compiled, record), record.id]);
      // The record went away between the caller's read and this write.
      if (result.changes === 0) throw ApiError.notFound();
    });
  }

  private async deleteIn(
    tx: Transaction,
    touched: Touched[],
    compiled: CompiledCollection,
    values: RecordJson,
    ctx: WriteContext,
    visiting: Set<string>,
  ): Promise<void> {
    const id = String(values.id);
    const key = `${compiled.collection.id}/${id}`;
    if (visiting.has(key)) return;
    visiting.add(key);
    await this.withModelHook('delete', compiled, values, ctx, touched, async () => {
      // Where writers run concurrently, a write that found this record as a relation holds it (checkReferencesExist):
      // locking it waits for that write, so the references read next include its record.
      const lock = this.store.dialect.concurrentWrites?.forUpdate;
      if (lock) await tx.one(`SELECT "id" FROM ${compiled.table} WHERE "id" = ? ${lock}`, [id]);
      const now = nowDateTime();
      for (const ref of this.catalog.referencesTo(compiled.collection)) {
        const refCompiled = this.catalog.compiled(ref.collection);
        for (const refId of await referencingIds(tx, this.catalog, ref, id)) {
          const row = await tx.one(this.forUpdate(refCompiled.selectByIdSql), [refId]);
          if (!row) continue;
          const current = rowToValues(refCompiled, row);
          if (ref.cascadeDelete) {
            await this.deleteIn(tx, touched, refCompiled, current, { ...ctx, cause: 'cascade' }, visiting);
          } else if (!visiting.has(`${ref.collection.id}/${refId}`)) {
            const next = { ...current, [ref.field.def.name]: detachedValue(ref, current[ref.field.def.name], id) };
            stamp(refCompiled, next, 'update', now);
            await this.updateIn(tx, touched, refCompiled, next, { ...ctx, cause: 'detach' }, true);
          }
        }
      }
      await tx.run(compiled.deleteSql, [id]);
    });
  }
}

function changeOf(action: Action, compiled: CompiledCollection, record: RecordJson, ctx: WriteContext): RecordChange {
  const change: RecordChange = { action, collection: compiled.collection, record };
  if (ctx.cause) change.cause = ctx.cause;
  return change;
}

/** Sets the fields the server stamps with the time of the write (autodate). */
export function stamp(compiled: CompiledCollection, values: RecordJson, op: Op, now: string): void {
  for (const name of compiled.stamps[op]) values[name] = now;
}
