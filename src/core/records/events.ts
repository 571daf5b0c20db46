// The record hooks: request-level (around a whole API call), model-level (inside the write transaction) and
// after-commit, for extensions and built-in parts alike.
import { Hook, type HookEvent } from '../hooks.js';
import type { Collection } from '../collections/model.js';
import type { Access } from './access.js';
import type { RequestInfo } from './request-info.js';
import type { RecordJson } from './read/export.js';

/** Why the pipeline touched a record other than the one a caller named. */
export type WriteCause =
  'cascade' | 'detach' | 'verification' | 'passwordReset' | 'emailChange' | 'otp' | 'passwordUpgrade' | 'oauth2';

interface RecordEventBase {
  collection: Collection;
  /** The record's values (hidden ones included). Changes made before next() are what gets stored. */
  record: RecordJson;
  /** Who made the change (for a cascade or a detach: whoever deleted the record that caused it). */
  access: Access;
  request: RequestInfo;
  /** Set when the write follows from another one (a cascade, a detach) or from an auth flow. */
  cause?: WriteCause;
}

/**
 * Fired for every record the write pipeline creates, updates or deletes, inside its write transaction and
 * around the built-in write (validation, reference checks, the SQL). Handlers may await; throwing (e.g. an
 * ApiError with field errors) rolls everything back. Code before next() runs before the write, after it after.
 */
export interface RecordModelEvent extends RecordEventBase, HookEvent {}

/** After the transaction committed: for side effects (mail, webhooks). Errors are logged, not returned. */
export interface RecordSuccessEvent extends RecordEventBase, HookEvent {}

/** After the transaction rolled back, for each record it had touched. Errors are logged, not returned. */
export interface RecordErrorEvent extends RecordEventBase, HookEvent {
  error: unknown;
}

/**
 * Wraps a whole create/update/delete call, before rules and validation. Before next() a handler may change
 * `body`; after it, `result` holds the record the caller gets (or undefined for a delete). A handler that
 * answers by itself sets `result` and does not call next().
 */
export interface RecordRequestEvent extends HookEvent {
  collection: Collection;
  access: Access;
  request: RequestInfo;
  body: Record<string, unknown>;
  /** The record id, for update and delete. */
  id?: string;
  result?: RecordJson;
}

/** Every record hook. Bind with tags to limit a handler to some collections (by name or id). */
export class RecordHooks {
  readonly onRecordCreateRequest = new Hook<RecordRequestEvent>();
  readonly onRecordUpdateRequest = new Hook<RecordRequestEvent>();
  readonly onRecordDeleteRequest = new Hook<RecordRequestEvent>();
  readonly onRecordCreate = new Hook<RecordModelEvent>();
  readonly onRecordUpdate = new Hook<RecordModelEvent>();
  readonly onRecordDelete = new Hook<RecordModelEvent>();
  readonly onRecordAfterCreateSuccess = new Hook<RecordSuccessEvent>();
  readonly onRecordAfterUpdateSuccess = new Hook<RecordSuccessEvent>();
  readonly onRecordAfterDeleteSuccess = new Hook<RecordSuccessEvent>();
  readonly onRecordAfterCreateError = new Hook<RecordErrorEvent>();
  readonly onRecordAfterUpdateError = new Hook<RecordErrorEvent>();
  readonly onRecordAfterDeleteError = new Hook<RecordErrorEvent>();
}

/** The tags a collection's events carry: its id and its name. */
export function collectionTags(collection: Collection): string[] {
  return [collection.id, collection.name];
}

/** Runs `run` through a request hook's chain, or straight when no handler is bound for the collection. */
export async function runRequestHook(
  hook: Hook<RecordRequestEvent>,
  event: Omit<RecordRequestEvent, 'next'>,
  run: (e: RecordRequestEvent) => Promise<RecordJson | undefined>,
): Promise<RecordJson | undefined> {
  const tags = collectionTags(event.collection);
  if (hook.isEmpty(tags)) return run(event as RecordRequestEvent);
  await hook.trigger(event, tags, async (e) => {
    e.result = await run(e);
  });
  return (event as RecordRequestEvent).result;
}

/** After-commit and after-error hooks: the outcome stands whatever they do, so their errors are logged. */
export async function runAfterHook<E extends RecordEventBase & HookEvent>(
  hook: Hook<E>,
  event: Omit<E, 'next'>,
): Promise<void> {
  const tags = collectionTags(event.collection);
  if (hook.isEmpty(tags)) return;
  try {
    await hook.trigger(event, tags, () => undefined);
  } catch (err) {
    console.error(`[satchel] an after-write hook of "${event.collection.name}" failed:`, err);
  }
}
