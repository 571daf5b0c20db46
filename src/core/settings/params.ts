// The `_params` table: small JSON values Satchel keeps for itself (settings, generated token secrets).
import type { Database } from '../db/database.js';
import { nowDateTime } from '../datetime.js';

/** Key-value access to `_params`; values are stored as JSON. */
export class Params {
  constructor(private readonly db: Database) {}

  /** The value stored under `id`, or undefined. */
  get<T>(id: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM _params WHERE id = ?').get(id) as
      { value: string | null } | undefined;
    return row?.value == null ? undefined : (JSON.parse(row.value) as T);
  }

  /** Stores `value` under `id`, replacing what was there. */
  set(id: string, value: unknown): void {
    const now = nowDateTime();
    this.db
      .prepare(
        `INSERT INTO _params (id, value, created, updated) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET value = excluded.value, updated = excluded.updated`,
      )
      .run(id, JSON.stringify(value), now, now);
  }

  /** The value under `id`; when there is none, stores `value` first. Safe between processes sharing the file. */
  getOrInsert<T>(id: string, value: T): T {
    const now = nowDateTime();
    this.db
      .prepare('INSERT OR IGNORE INTO _params (id, value, created, updated) VALUES (?, ?, ?, ?)')
      .run(id, JSON.stringify(value), now, now);
    return this.get<T>(id)!;
  }
}
