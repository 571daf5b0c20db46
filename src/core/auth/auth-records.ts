// Reads and guarded writes of auth records for the auth flows (sign-in lookups, one-time token confirmations).
import type { Database } from '../db/database.js';
import { quoteIdent } from '../db/identifiers.js';
import { constraintToApiError } from '../db/constraint-errors.js';
import { nowDateTime } from '../datetime.js';
import type { Collection } from '../collections/model.js';
import { compile } from '../records/compiled.js';
import { rowToValues, type RecordJson } from '../records/serialize.js';

/** Auth records by id or by an identity field, as stored (hidden fields included). */
export class AuthRecords {
  constructor(private readonly db: Database) {}

  byId(collection: Collection, id: string): RecordJson | undefined {
    const compiled = compile(collection);
    const row = this.db.prepare(compiled.selectByIdSql).get(id) as Record<string, unknown> | undefined;
    return row && rowToValues(compiled, row);
  }

  /** The record whose `field` equals `value`, ignoring case (e-mail and username are unique that way). */
  byField(collection: Collection, field: string, value: string): RecordJson | undefined {
    const compiled = compile(collection);
    const f = compiled.byName.get(field);
    if (!f || value === '') return undefined;
    const row = this.db
      .prepare(`SELECT * FROM ${compiled.table} WHERE ${f.column} = ? COLLATE NOCASE LIMIT 1`)
      .get(value) as Record<string, unknown> | undefined;
    return row && rowToValues(compiled, row);
  }

  count(collection: Collection): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM ${compile(collection).table}`).get() as { n: number }).n;
  }

  /**
   * Sets `changes` (and `updated`) on a record only while every `guard` field still holds its value, in one
   * statement: a one-time token bound to such a value works once, however many requests race with it.
   * False when the guard no longer holds. A taken unique value is a 400 with `failure` as its message.
   */
  updateIf(collection: Collection, id: string, changes: RecordJson, guard: RecordJson, failure: string): boolean {
    const compiled = compile(collection);
    const set = { ...changes };
    const now = nowDateTime();
    for (const name of compiled.stamps.update) set[name] = now;
    const column = (name: string) => {
      const f = compiled.byName.get(name);
      if (!f) throw new Error(`auth collection "${collection.name}" has no field "${name}"`);
      return f;
    };
    const setNames = Object.keys(set);
    const guardNames = Object.keys(guard);
    const sql =
      `UPDATE ${compiled.table} SET ${setNames.map((n) => `${quoteIdent(n)} = ?`).join(', ')} ` +
      `WHERE "id" = ?${guardNames.map((n) => ` AND ${quoteIdent(n)} = ?`).join('')}`;
    const bind = (name: string, value: unknown) => {
      const f = column(name);
      return f.type.toDb(value, f.def);
    };
    try {
      const result = this.db
        .prepare(sql)
        .run(...setNames.map((n) => bind(n, set[n])), id, ...guardNames.map((n) => bind(n, guard[n])));
      return result.changes === 1;
    } catch (err) {
      throw constraintToApiError(err, failure) ?? err;
    }
  }
}
