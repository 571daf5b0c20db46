// One table at a time: rows read a batch at a time in key order from the source, written to the target inside
// its transaction, checksummed on both sides the same way.
import type { Dialect, Queries, Row, Transaction } from '../db/index.js';
import { TableChecksum } from './checksum.js';
import { MigrateError } from './errors.js';
import type { TablePlan } from './tables.js';

/** Rows read per query. */
const READ_BATCH = 500;
/** Bound parameters per INSERT: well under every engine's limit (SQLite 32,766, PostgreSQL 65,535). */
const PARAMS_PER_INSERT = 4000;

/** The alias of the order key in the rows read (not a name a project gives a field). */
const ORDER_KEY = '__migrate_order';

/** Every row of `plan`'s table, in batches, in order (each batch starts after the last key of the one before). */
async function* readBatches(db: Queries, dialect: Dialect, plan: TablePlan): AsyncGenerator<Row[]> {
  const q = (name: string) => dialect.quote(name);
  const table = q(plan.name);
  const key = plan.insertionOrder ? dialect.rowOrder(table) : `${table}.${q(plan.key)}`;
  const select = `SELECT ${plan.columns.map(q).join(', ')}, ${key} AS ${q(ORDER_KEY)} FROM ${table}`;
  const order = ` ORDER BY ${key} LIMIT ${READ_BATCH}`;
  let last: unknown;
  // Bounded: each round reads at least one row past the last key, and a table has finitely many.
  for (;;) {
    const rows =
      last === undefined
        ? await db.all(`${select}${order}`)
        : await db.all(`${select} WHERE ${key} > ?${order}`, [last]);
    if (rows.length) yield rows;
    if (rows.length < READ_BATCH) return;
    last = rows[rows.length - 1]![ORDER_KEY];
  }
}

function insertSql(dialect: Dialect, plan: TablePlan, rows: number): string {
  const one = `(${plan.columns.map(() => '?').join(', ')})`;
  const columns = plan.columns.map((c) => dialect.quote(c)).join(', ');
  return `INSERT INTO ${dialect.quote(plan.name)} (${columns}) VALUES ${Array(rows).fill(one).join(', ')}`;
}

/** The cause of a failed write, in one line. */
function causeOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Writes `batch` (normalized rows) into the target; a failure names the first row the target refuses. */
async function writeBatch(tx: Transaction, dialect: Dialect, plan: TablePlan, batch: unknown[][]): Promise<void> {
  const keyIndex = plan.columns.indexOf(plan.key);
  try {
    // A savepoint: a refused batch is undone alone, so the rows can be tried one by one to find the culprit.
    await tx.transaction((t) => t.run(insertSql(dialect, plan, batch.length), batch.flatMap(plan.toParams)));
    return;
  } catch (err) {
    if (batch.length === 1) {
      throw new MigrateError(`table ${plan.name}, row ${String(batch[0]![keyIndex])}: ${causeOf(err)}`);
    }
  }
  for (const values of batch) await writeBatch(tx, dialect, plan, [values]);
}

export interface CopySide {
  db: Queries;
  dialect: Dialect;
}

/**
 * Replaces the rows of `plan`'s table in the target (inside `target.db`, its transaction) with the source's.
 * Returns the checksum of what was read from the source.
 */
export async function copyTable(source: CopySide, target: CopySide & { db: Transaction }, plan: TablePlan) {
  const checksum = new TableChecksum();
  await target.db.run(`DELETE FROM ${target.dialect.quote(plan.name)}`);
  const perInsert = Math.max(1, Math.floor(PARAMS_PER_INSERT / plan.columns.length));
  for await (const rows of readBatches(source.db, source.dialect, plan)) {
    const batch: unknown[][] = [];
    for (const row of rows) {
      let values: unknown[];
      try {
        values = plan.normalize(row);
      } catch (err) {
        throw new MigrateError(`table ${plan.name}, row ${String(row[plan.key])}: unreadable (${causeOf(err)})`);
      }
      checksum.add(values);
      batch.push(values);
    }
    for (let i = 0; i < batch.length; i += perInsert) {
      await writeBatch(target.db, target.dialect, plan, batch.slice(i, i + perInsert));
    }
  }
  return checksum;
}

/** The checksum of `plan`'s table as `side` holds it now. */
export async function checksumTable(side: CopySide, plan: TablePlan): Promise<TableChecksum> {
  const checksum = new TableChecksum();
  for await (const rows of readBatches(side.db, side.dialect, plan)) {
    for (const row of rows) checksum.add(plan.normalize(row));
  }
  return checksum;
}
