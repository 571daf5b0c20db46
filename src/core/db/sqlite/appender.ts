// Batched appends on a worker thread with its own connection (request logs): the event loop only queues values
// and posts a batch now and then; formatting datetimes, binding and writing happen on the worker. SQLite's WAL
// lets the worker write while the store's connections read the same file.
import { Worker } from 'node:worker_threads';
import { DRIVER_PATH } from './driver.js';
import type { Appender, AppenderColumn } from '../store.js';
import { sqliteDialect } from './dialect.js';

/** The worker's whole program: plain CommonJS, evaluated, so it needs no file of its own in dist/. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const { file, insertPrefix, width, datetimes } = workerData;
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
parentPort.on('message', (m) => {
  if (m.close) {
    db.close();
    process.exit(0);
  }
  try {
    // One text per batch: every value followed by a NUL; a lone STX stands for NULL.
    const values = m.text.split('\\u0000');
    values.length = m.count * width;
    for (let k = 0; k < values.length; k++) if (values[k] === '\\u0002') values[k] = null;
    for (const column of datetimes) {
      for (let r = 0; r < m.count; r++) {
        const k = r * width + column;
        values[k] = new Date(Number(values[k])).toISOString().replace('T', ' ');
      }
    }
    write(values, m.count);
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
}

/**
 * A value as the batch text carries it, NUL-terminated. Numbers travel as text and the column's type affinity
 * makes them numbers again; NUL inside a text (never in JSON, nor in a URL Node accepts) becomes U+FFFD.
 */
function encode(value: unknown): string {
  if (value === null || value === undefined) return '\u0002\u0000';
  const text = String(value);
  return `${text.includes('\u0000') ? text.replaceAll('\u0000', '\ufffd') : text}\u0000`;
}

export class WorkerAppender implements Appender {
  private worker: Worker | undefined;
  /** The queued rows as one text (see encode): posting a string costs a copy, an array of values a clone each. */
  private text = '';
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
    this.flushMs = options.flushMs ?? 200;
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxPending = options.maxPending ?? 100_000;
  }

  add(values: unknown[]): void {
    if (this.broken || this.count + this.inFlight >= this.maxPending) {
      this.dropped++;
      return;
    }
    for (let i = 0; i < this.width; i++) this.text += encode(values[i]);
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
    if (!this.worker && this.count <= INLINE_ROWS && this.inFlight === this.count) {
      const { text, count } = this;
      this.text = '';
      this.count = 0;
      this.inline(
        `${this.insertPrefix()}${new Array(count).fill(this.rowSql()).join(', ')}`,
        this.decode(text, count),
      ).then(
        () => this.acknowledge(seq),
        (err: unknown) => this.acknowledge(seq, String((err as Error).message ?? err)),
      );
      return;
    }
    const worker = this.start();
    // Held while a batch is on its way, so a process that is shutting down waits for its last rows.
    worker.ref();
    worker.postMessage({ seq, text: this.text, count: this.count });
    this.text = '';
    this.count = 0;
  }

  private insertPrefix(): string {
    const quote = sqliteDialect.quote;
    return `INSERT INTO ${quote(this.table)} (${this.columns.map((c) => quote(c.name)).join(', ')}) VALUES `;
  }

  private rowSql(): string {
    return `(${new Array(this.width).fill('?').join(', ')})`;
  }

  /** The values of a batch text (what the worker does with it, for the rows written here). */
  private decode(text: string, count: number): unknown[] {
    const values: unknown[] = text.split('\u0000').slice(0, count * this.width);
    for (let k = 0; k < values.length; k++) if (values[k] === '\u0002') values[k] = null;
    this.columns.forEach((column, i) => {
      if (!column.datetime) return;
      for (let r = 0; r < count; r++) {
        const k = r * this.width + i;
        values[k] = new Date(Number(values[k])).toISOString().replace('T', ' ');
      }
    });
    return values;
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
        datetimes: this.columns.flatMap((c, i) => (c.datetime ? [i] : [])),
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
