// Batched appends for PostgreSQL (request logs): rows are queued and written a moment later, a batch in one
// statement. The database is another process, so no worker thread: the event loop only builds the batch's text.
import type pg from 'pg';
import type { Appender, AppenderColumn, RowShape } from '../store.js';
import { mapPostgresError } from './errors.js';

const FLUSH_MS = 200;

/** String.prototype.toWellFormed (Node 20 has it; the compiler's library here is older). */
const wellFormed = (text: string): string => (text as unknown as { toWellFormed(): string }).toWellFormed();

/** A surrogate's escape in JSON text (JSON.stringify writes a lone one that way, and pairs as characters). */
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/;

/** JSON text whose strings hold no lone surrogate (each becomes U+FFFD, as in a text column). */
function wellFormedJson(json: string): string {
  if (!SURROGATE_ESCAPE.test(json)) return json;
  return JSON.stringify(
    JSON.parse(json, (_key, value: unknown) => (typeof value === 'string' ? wellFormed(value) : value)),
  );
}

export class PostgresAppender implements Appender {
  private queued: unknown[][] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The batch being written: the next one waits for it, so rows are stored in the order they came. */
  private writing: Promise<void> = Promise.resolve();
  private readonly shape: ((fields: (string | null)[]) => unknown[]) | undefined;
  private readonly insert: pg.QueryConfig;
  /** Each column's `"name":` as it starts its member in a row's JSON object. */
  private readonly keys: string[];
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
    const names = columns.map((c) => quote(c.name)).join(', ');
    // The whole batch is one parameter, a JSON array of rows that PostgreSQL unpacks into the table's own row type:
    // one statement of fixed text (prepared once per connection) whatever the batch's size, where a VALUES list
    // of thousands of parameters was planned anew for every batch and each parameter serialised on the event loop.
    this.insert = {
      name: `satchel_append_${table}`,
      text: `INSERT INTO ${quote(table)} (${names}) SELECT ${names} FROM json_populate_recordset(NULL::${quote(table)}, $1::json)`,
    };
    this.keys = columns.map((c) => `${JSON.stringify(c.name)}:`);
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
    // A shape reads its fields as text, as the SQLite appender hands them over (see RowShape).
    const row = this.shape
      ? this.shape(line.map((v) => (v === null || v === undefined ? null : String(v))))
      : [...line];
    for (const i of this.datetimes) row[i] = new Date(Number(row[i])).toISOString().replace('T', ' ');
    return row;
  }

  /**
   * A row as a JSON object. Every value is a JSON string that PostgreSQL reads as its column's type would read
   * text, except a JSON column's, which is its JSON itself. Lone surrogates become U+FFFD (as UTF-8 parameters had
   * them): PostgreSQL refuses JSON's escape for one, which would cost the whole batch.
   */
  private jsonOf(row: unknown[]): string {
    let text = '{';
    for (let i = 0; i < this.columns.length; i++) {
      const value = row[i];
      if (i) text += ',';
      text += this.keys[i];
      if (value === null || value === undefined) text += 'null';
      else if (this.columns[i]!.json) text += wellFormedJson(String(value));
      else text += JSON.stringify(wellFormed(String(value)));
    }
    return `${text}}`;
  }

  /** Writes one batch; a failure is logged (logs must never fail a request), the rows are dropped. */
  private async write(batch: unknown[][]): Promise<void> {
    let text = '[';
    for (let i = 0; i < batch.length; i++) text += (i ? ',' : '') + this.jsonOf(this.rowOf(batch[i]!));
    text += ']';
    try {
      await this.pool.query({ ...this.insert, values: [text] });
    } catch (err) {
      console.error('[satchel] appending rows failed:', (mapPostgresError(err) as Error).message);
    }
  }
}
