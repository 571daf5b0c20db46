// Named counters that only count up (1, 2, 3 …), kept in the database: integer keys for contracts that want them.
import type { Store } from './db/store.js';

/**
 * `next(name)` returns the name's next number. Called inside a record's write transaction (a model hook), the
 * number is part of that transaction: concurrent creates get distinct numbers, and a create that fails rolls
 * its number back, so there are no gaps. A number is never handed out twice, even after deletes.
 */
export class Sequences {
  private readonly bumpSql =
    'INSERT INTO "_sequences" ("name", "value") VALUES (?, 1) ' +
    'ON CONFLICT ("name") DO UPDATE SET "value" = "_sequences"."value" + 1 RETURNING "value"';

  constructor(private readonly store: Store) {}

  async next(name: string): Promise<number> {
    // RETURNING makes this a write that answers: it runs on the writer (the open transaction, if any).
    const tx = this.store.current();
    if (tx) return (await tx.one<{ value: number }>(this.bumpSql, [name]))!.value;
    return this.store.transaction(async (t) => (await t.one<{ value: number }>(this.bumpSql, [name]))!.value);
  }

  /** The last number handed out for `name` (0 before the first). */
  async current(name: string): Promise<number> {
    const row = await this.store.one<{ value: number }>('SELECT "value" FROM "_sequences" WHERE "name" = ?', [name]);
    return row?.value ?? 0;
  }
}
