// Log entries are written in batches, off the request's path: a request only appends to an array; a timer (or a
// full batch) writes them to the auxiliary store in one transaction. Logging thus never waits on the disk.
import type { Store } from '../db/index.js';

export interface LogEntry {
  id: string;
  created: string;
  /** -4 debug, 0 info, 4 warn, 8 error (slog's levels, as PocketBase stores them). */
  level: number;
  message: string;
  data: Record<string, unknown>;
}

export interface LogWriterOptions {
  /** How long an entry may wait before its batch is written (default 200 ms). */
  flushMs?: number;
  /** Entries that trigger a write at once (default 500). */
  maxBatch?: number;
  /** Entries held at most while the store is slow; past it new ones are dropped and counted (default 50 000). */
  maxQueue?: number;
}

/** Rows per INSERT statement: 5 parameters each, well under SQLite's limit of bound parameters. */
const ROWS_PER_INSERT = 100;

export class LogWriter {
  private queue: LogEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  /** Entries dropped because the queue was full. */
  dropped = 0;
  private readonly flushMs: number;
  private readonly maxBatch: number;
  private readonly maxQueue: number;

  constructor(
    private readonly store: Store,
    options: LogWriterOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 200;
    this.maxBatch = options.maxBatch ?? 500;
    this.maxQueue = options.maxQueue ?? 50_000;
  }

  add(entry: LogEntry): void {
    if (this.queue.length >= this.maxQueue) {
      this.dropped++;
      return;
    }
    this.queue.push(entry);
    if (this.queue.length >= this.maxBatch) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  /** Writes what is queued; resolves when it is stored (batches are written one after another). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length) this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  private async write(batch: LogEntry[]): Promise<void> {
    try {
      await this.store.transaction(async (tx) => {
        for (let i = 0; i < batch.length; i += ROWS_PER_INSERT) {
          const rows = batch.slice(i, i + ROWS_PER_INSERT);
          const params: unknown[] = [];
          for (const e of rows) params.push(e.id, e.level, e.message, JSON.stringify(e.data), e.created);
          await tx.run(
            `INSERT INTO "_logs" ("id", "level", "message", "data", "created") VALUES ${rows.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
            params,
          );
        }
      });
    } catch (err) {
      // Losing log lines must never fail a request or stop the server; say so once per failed batch.
      console.error(`[satchel] could not write ${batch.length} log entries:`, (err as Error).message);
    }
  }
}
