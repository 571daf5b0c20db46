// Batched appends on a worker thread with its own connection (request logs): the event loop only queues values
// and posts a batch now and then; formatting datetimes, binding and writing happen on the worker. SQLite's WAL
// lets the worker write while the store's connections read the same file.
import { Worker } from 'node:worker_threads';
import { DRIVER_PATH } from './driver.js';
import type { Appender, AppenderColumn, RowShape } from '../store.js';
import { sqliteDialect } from './dialect.js';

/**
 * A batch text's rows as the columns' flat values: split (values are separated by NUL; a lone STX stands
 * for NULL), shaped when a shape is given, datetimes formatted. Self-contained: the worker runs its source text.
 */
function rowsOf(
  text: string,
  count: number,
  fields: number,
  width: number,
  shape: ((fields: (string | null)[]) => unknown[]) | null,
  datetimes: number[],
): unknown[] {
  const raw: (string | null)[] = text.split('\u0000');
  raw.length = count * fields;
  for (let k = 0; k < raw.length; k++) if (raw[k] === '\u0002') raw[k] = null;
  let values: unknown[] = raw;
  if (shape) {
    values = new Array<unknown>(count * width);
    for (let r = 0; r < count; r++) {
      const row = shape(raw.slice(r * fields, (r + 1) * fields));
      for (let i = 0; i < width; i++) values[r * width + i] = row[i];
    }
  }
  // A batch's rows mostly share their second: it is formatted once, the milliseconds appended.
  let second = NaN;
  let secondText = '';
  for (const column of datetimes) {
    for (let r = 0; r < count; r++) {
      const k = r * width + column;
      const ms = Number(values[k]);
      const at = Math.floor(ms / 1000);
      if (at !== second) {
        second = at;
        secondText = new Date(at * 1000).toISOString().slice(0, 19).replace('T', ' ');
      }
      values[k] = `${secondText}.${String(ms - at * 1000).padStart(3, '0')}Z`;
    }
  }
  return values;
}
const ROWS_SOURCE = rowsOf.toString();

/** The worker's whole program: plain CommonJS, evaluated, so it needs no file of its own in dist/. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { file, insertPrefix, width, fields, datetimes, shaper } = workerData;
const shape = shaper ? (0, eval)('(' + shaper + ')')() : null;
// Below the request threads' priority: on a busy machine the log rows wait a moment for a core rather than take one
// from the event loop. Nice 10, not 19: a fully loaded server still gives the writer about a tenth of a core, which
// keeps up with tens of thousands of rows a second. Linux only (a thread's id names it to setpriority).
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) require('node:os').setPriority(tid, 10);
} catch {}
const db = new Database(file);
db.pragma('busy_timeout = 5000');
db.pragma('journal_mode = WAL');
// Appended rows are logs: a power cut may lose the last moment of them, never the data (another file). No fsync,
// and checkpoints less often (each copies the WAL back into the file): both cost CPU on every busy second.
db.pragma('synchronous = OFF');
db.pragma('wal_autocheckpoint = 10000');
// Rows per statement: a multi-row INSERT is far cheaper than one per row; 500 parameters stay under every limit.
const perStatement = Math.max(1, Math.floor(500 / width));
const row = '(' + new Array(width).fill('?').join(', ') + ')';
const statements = new Map();
const insert = (n) => {
  let s = statements.get(n);
  if (!s) statements.set(n, (s = db.prepare(insertPrefix + new Array(n).fill(row).join(', '))));
  return s;
};
const write = db.transaction((values, count) => {
  for (let i = 0; i < count; i += perStatement) {
    const n = Math.min(perStatement, count - i);
    insert(n).run(values.slice(i * width, (i + n) * width));
  }
});
${ROWS_SOURCE}
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    process.exit(0);
  }
  try {
    write(rowsOf(m.text, m.count, fields, width, shape, datetimes), m.count);
    parentPort.postMessage({ seq: m.seq });
  } catch (err) {
    parentPort.postMessage({ seq: m.seq, error: String((err && err.message) || err) });
  }
});
`;

/** Rows a batch may hold to be written on the event loop rather than by the writer thread. */
const INLINE_ROWS = 50;
/** A writer thread with nothing to write for this long stops (it starts again with the next big batch). */
const IDLE_STOP_MS = 10_000;

export interface AppenderOptions {
  /** How long a row may wait before its batch is posted (default 200 ms). */
  flushMs?: number;
  /** Rows that make a batch be posted at once (default 1000). */
  maxBatch?: number;
  /** Rows queued or in flight at most; past it new ones are dropped (default 100 000). */
  maxPending?: number;
  /** How queued lines become rows (see RowShape); without it a line is the row. */
  shape?: RowShape;
}

/**
 * The queued values as one batch text: NUL between values, a lone STX for NULL. Numbers travel as text and the
 * column's type affinity (or the shape) makes them numbers again. Text values carry no NUL (see Appender.add):
 * scanning every value for one cost more than the join. One native join per batch: a request only pushes values.
 */
function batchText(values: unknown[]): string {
  for (let k = 0; k < values.length; k++) if (values[k] === null || values[k] === undefined) values[k] = '\u0002';
  return values.join('\u0000');
}

export class WorkerAppender implements Appender {
  private worker: Worker | undefined;
  /** The queued lines' values, flat; posted as one text (see batchText): a copy, not a clone per value. */
  private queued: unknown[] = [];
  private count = 0;
  private timer: NodeJS.Timeout | undefined;
  private sent = 0;
  private acked = 0;
  private inFlight = 0;
  private readonly batchSizes = new Map<number, number>();
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  private broken = false;
  private idle: NodeJS.Timeout | undefined;
  /** Rows dropped because too many were pending or the worker failed. */
  dropped = 0;
  private readonly width: number;
  /** Values per queued line: the shape's fields, else the columns. */
  private readonly fields: number;
  /** The shape's function, for the batches written here. */
  private readonly shaper: ((fields: (string | null)[]) => unknown[]) | null;
  private readonly shape: RowShape | undefined;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(
    private readonly file: string,
    private readonly table: string,
    private readonly columns: AppenderColumn[],
    /** Writes a small batch on the store's own writer, while no writer thread runs (see post). */
    private readonly inline: (sql: string, params: unknown[]) => Promise<unknown>,
    options: AppenderOptions = {},
  ) {
    this.width = columns.length;
    this.fields = options.shape?.fields ?? this.width;
    this.shape = options.shape;
    this.shaper = options.shape ? options.shape.make() : null;
    this.flushMs = options.flushMs ?? 200;
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxPending = options.maxPending ?? 100_000;
  }

  add(values: unknown[]): void {
    if (this.broken || this.count + this.inFlight >= this.maxPending) {
      this.dropped++;
      return;
    }
    for (let i = 0; i < this.fields; i++) this.queued.push(values[i]);
    this.count++;
    if (this.count >= this.maxBatch) this.post();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.post(), this.flushMs);
      this.timer.unref();
    }
  }

  flush(): Promise<void> {
    this.post();
    const seq = this.sent;
    if (this.acked >= seq) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ seq, resolve }));
  }

  async close(): Promise<void> {
    await this.flush();
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    this.broken = true;
    if (!worker) return;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ close: true });
    });
  }

  /**
   * Posts the queued rows as one batch. A quiet server's few rows are written right here, in one statement: a
   * thread of its own (an isolate, several MB) pays only once a server is busy, and stops when it is quiet again.
   */
  private post(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.count) return;
    const seq = ++this.sent;
    this.batchSizes.set(seq, this.count);
    this.inFlight += this.count;
    const text = batchText(this.queued);
    const count = this.count;
    this.queued = [];
    this.count = 0;
    if (!this.worker && count <= INLINE_ROWS && this.inFlight === count) {
      this.inline(
        `${this.insertPrefix()}${new Array(count).fill(this.rowSql()).join(', ')}`,
        rowsOf(text, count, this.fields, this.width, this.shaper, this.datetimes()),
      ).then(
        () => this.acknowledge(seq),
        (err: unknown) => this.acknowledge(seq, String((err as Error).message ?? err)),
      );
      return;
    }
    const worker = this.start();
    // Held while a batch is on its way, so a process that is shutting down waits for its last rows.
    worker.ref();
    worker.postMessage({ seq, text, count });
  }

  private insertPrefix(): string {
    const quote = sqliteDialect.quote;
    return `INSERT INTO ${quote(this.table)} (${this.columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
  }

  private rowSql(): string {
    return `(${new Array(this.width).fill('?').join(', ')})`;
  }

  /** The positions of the datetime columns. */
  private datetimes(): number[] {
    return this.columns.flatMap((c, i) => (c.datetime ? [i] : []));
  }

  /** The worker, started when a batch is too big to write here: a quiet server never pays for it. */
  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: DRIVER_PATH,
        file: this.file,
        insertPrefix: this.insertPrefix(),
        width: this.width,
        fields: this.fields,
        datetimes: this.datetimes(),
        shaper: this.shape ? this.shape.make.toString() : null,
      },
    });
    worker.unref();
    worker.on('message', (m: { seq: number; error?: string }) => this.acknowledge(m.seq, m.error));
    worker.once('error', (err) => {
      // The worker cannot write (the driver failed to load, the file is gone): say it once, drop from now on.
      console.error('[satchel] the log writer stopped:', err.message);
      this.broken = true;
      this.acknowledge(this.sent);
    });
    this.worker = worker;
    return worker;
  }

  private stopWhenIdle(): void {
    const worker = this.worker;
    if (!worker || this.acked < this.sent || this.count) return;
    this.worker = undefined;
    worker.postMessage({ close: true });
  }

  private acknowledge(seq: number, error?: string): void {
    if (error)
      console.error(`[satchel] could not write ${this.batchSizes.get(seq) ?? 0} rows to ${this.table}:`, error);
    for (let s = this.acked + 1; s <= seq; s++) {
      this.inFlight -= this.batchSizes.get(s) ?? 0;
      this.batchSizes.delete(s);
    }
    this.acked = Math.max(this.acked, seq);
    // Nothing on its way: an idle writer does not keep the process alive, and after a quiet while it stops.
    if (this.acked >= this.sent && this.worker) {
      this.worker.unref();
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.stopWhenIdle(), IDLE_STOP_MS);
      this.idle.unref();
    }
    while (this.waiters.length && this.waiters[0]!.seq <= this.acked) this.waiters.shift()!.resolve();
  }
}
