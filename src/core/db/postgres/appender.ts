// Batched appends for PostgreSQL (request logs): rows are queued and written a moment later as multi-row INSERTs,
// one transaction per batch. The database is another process, so no worker thread: the event loop only builds
// the statement.
import type pg from 'pg';
import type { Appender, AppenderColumn, RowShape } from '../store.js';
import { mapPostgresError } from './errors.js';

const FLUSH_MS = 200;
/** PostgreSQL takes at most 65535 parameters per statement; smaller statements keep each one cheap to plan. */
const PARAMS_PER_STATEMENT = 2000;

export class PostgresAppender implements Appender {
  private queued: unknown[][] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written: the next one waits for it, so rows are stored in the order they came. */
  private writing: Promise<void> = Promise.resolve();
  private readonly shape: ((fields: (string | null)[]) => unknown[]) | undefined;
  private readonly insertPrefix: string;
  private readonly datetimes: number[];
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    table: string,
    private readonly columns: AppenderColumn[],
    shape?: RowShape,
  ) {
    this.shape = shape?.make();
    const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
    this.insertPrefix = `INSERT INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
    this.datetimes = columns.flatMap((c, i) => (c.datetime ? [i] : []));
  }

  add(values: unknown[]): void {
    if (this.closed) return;
    this.queued.push(values);
    this.timer ??= setTimeout(() => void this.post(), FLUSH_MS);
  }

  flush(): Promise<void> {
    return this.post();
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
  }

  /** Starts writing what is queued (after the batch before it); resolves once it is stored. */
  private post(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queued;
    this.queued = [];
    if (batch.length) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private rowOf(line: unknown[]): unknown[] {
    const row = this.shape ? this.shape(line as (string | null)[]) : [...line];
    for (const i of this.datetimes) row[i] = new Date(Number(row[i])).toISOString().replace('T', ' ');
    return row;
  }

  /** Writes one batch; a failure is logged (logs must never fail a request), the rows are dropped. */
  private async write(batch: unknown[][]): Promise<void> {
    const width = this.columns.length;
    const perStatement = Math.max(1, Math.floor(PARAMS_PER_STATEMENT / width));
    const rows = batch.map((line) => this.rowOf(line));
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      for (let i = 0; i < rows.length; i += perStatement) {
        const chunk = rows.slice(i, i + perStatement);
        let n = 0;
        const values = chunk.map(() => `(${this.columns.map(() => `$${++n}`).join(', ')})`).join(', ');
        await client.query(this.insertPrefix + values, chunk.flat());
      }
      await client.query('COMMIT');
    } catch (err) {
      await client?.query('ROLLBACK').catch(() => undefined);
      console.error('[satchel] appending rows failed:', (mapPostgresError(err) as Error).message);
    } finally {
      client?.release();
    }
  }
}
