// The `_params` table: small JSON values Satchel keeps for itself (settings, generated token secrets).
import type { Queries, Store } from '../db/store.js';
import { nowDateTime } from '../datetime.js';

const isStore = (queries: Queries): queries is Store => 'dialect' in queries && 'transaction' in queries;

/** Key-value access to `_params`; values are stored as JSON (through the store, or inside a transaction). */
export class Params {
  constructor(private readonly store: Queries) {}

  /** The value stored under `id`, or undefined. */
  async get<T>(id: string): Promise<T | undefined> {
    const row = await this.store.one<{ value: string | null }>('SELECT value FROM _params WHERE id = ?', [id]);
    return row?.value == null ? undefined : (JSON.parse(row.value) as T);
  }

  /** Stores `value` under `id`, replacing what was there. */
  async set(id: string, value: unknown): Promise<void> {
    const now = nowDateTime();
    await this.store.run(
      `INSERT INTO _params (id, value, created, updated) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
      [id, JSON.stringify(value), now, now],
    );
  }

  /**
   * Stores `change(current)` under `id` as one step: two changes at once each see the other's result, none is lost
   * (the current value is read inside the write transaction, held by a lock where writers run concurrently).
   */
  async update<T>(id: string, change: (current: T | undefined) => T): Promise<T> {
    const store = this.store;
    // Over a transaction (which has no dialect of its own) the caller's transaction already makes it one step.
    if (!isStore(store)) return this.replace(id, change);
    const lockName = store.dialect.concurrentWrites?.lockName;
    return store.transaction(async (tx) => {
      if (lockName) await tx.one(lockName, [`satchel:params:${id}`]);
      return new Params(tx).replace(id, change);
    });
  }

  private async replace<T>(id: string, change: (current: T | undefined) => T): Promise<T> {
    const next = change(await this.get<T>(id));
    await this.set(id, next);
    return next;
  }

  /** The value under `id`; when there is none, stores `value` first. Safe between processes sharing the database. */
  async getOrInsert<T>(id: string, value: T): Promise<T> {
    const now = nowDateTime();
    await this.store.run(
      'INSERT INTO _params (id, value, created, updated) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
      [id, JSON.stringify(value), now, now],
    );
    // Read through the writer's view when a transaction is open; otherwise the committed row.
    return (await this.get<T>(id))!;
  }
}
