// The `_params` table: small JSON values Satchel keeps for itself (settings, generated token secrets).
import type { Queries } from '../db/store.js';
import { nowDateTime } from '../datetime.js';

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
