// Named counters that only count up (1, 2, 3 …), kept in data.db: integer keys for contracts that want them.
import type { Database } from './db/database.js';

/**
 * `next(name)` returns the name's next number. Called inside a record's write transaction (a model hook), the
 * number is part of that transaction: concurrent creates get distinct numbers, and a create that fails rolls
 * its number back, so there are no gaps. A number is never handed out twice, even after deletes.
 */
export class Sequences {
  private readonly bumpSql =
    'INSERT INTO "_sequences" ("name", "value") VALUES (?, 1) ' +
    'ON CONFLICT ("name") DO UPDATE SET "value" = "value" + 1 RETURNING "value"';

  constructor(private readonly db: Database) {
    db.raw.exec('CREATE TABLE IF NOT EXISTS "_sequences" ("name" TEXT PRIMARY KEY NOT NULL, "value" INTEGER NOT NULL)');
  }

  next(name: string): number {
    return (this.db.prepare(this.bumpSql).get(name) as { value: number }).value;
  }

  /** The last number handed out for `name` (0 before the first). */
  current(name: string): number {
    const row = this.db.prepare('SELECT "value" FROM "_sequences" WHERE "name" = ?').get(name) as
      { value: number } | undefined;
    return row?.value ?? 0;
  }
}
