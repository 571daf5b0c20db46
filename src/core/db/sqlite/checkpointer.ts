// Copies the write-ahead log back into the database file on a thread of its own (SQLite's checkpoint). Left to the
// writer connection, every ~1000th page written makes one commit copy the whole log and fsync the file on the
// event loop: under a steady stream of writes to a large table that was the biggest cost of a write (a batch of
// 100 creates into 200,000 rows spent more time checkpointing than writing).
import { Worker } from 'node:worker_threads';
import { DRIVER_PATH } from './driver.js';

/**
 * The writer's own automatic checkpoint, in pages, while the thread runs: only a backstop for when it cannot keep
 * up. While it does not run (a quiet server) the writer checkpoints as SQLite does by default, every 1000 pages.
 */
const BACKSTOP_PAGES = 10_000;
const DEFAULT_PAGES = 1000;
/**
 * Commits within one gathering that make a moment busy (a batch of 100 creates is one commit). A thread starts after
 * BUSY_MOMENTS busy moments in a row: a server booting makes a burst of commits once, and a quiet server leaves
 * checkpoints to the writer, as SQLite does by default.
 */
const BUSY_COMMITS = 4;
const BUSY_MOMENTS = 2;
/** How long commits gather before the thread copies them: one checkpoint (and fsync) per batch of commits. */
const GATHER_MS = 100;
/** A thread with nothing to copy for this long stops; the next busy moment starts it again. */
const IDLE_STOP_MS = 10_000;

/**
 * The thread's program: a connection of its own that runs PASSIVE checkpoints, which copy what no reader still
 * needs and never wait for the writer or a reader. Plain CommonJS, evaluated (no file of its own in dist/).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
// The same durability as the writer: the file is fsynced once the log's pages are in it.
db.pragma('synchronous = NORMAL');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    process.exit(0);
  }
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    // Busy or failed this time: the next request (or the writer's backstop) copies the pages.
  }
});
`;

export class BackgroundCheckpointer {
  private worker: Worker | undefined;
  private commits = 0;
  /** Busy gatherings in a row so far, and when the last one ended. */
  private busyMoments = 0;
  private lastGathered = 0;
  private gathering: NodeJS.Timeout | undefined;
  private idle: NodeJS.Timeout | undefined;
  private broken = false;
  private closed = false;

  constructor(
    private readonly file: string,
    /** Sets the writer connection's own automatic checkpoint (pages). */
    private readonly writerCheckpointsEvery: (pages: number) => void,
  ) {}

  /** After each commit: costs a counter; a busy moment's commits are copied together a little later. */
  committed(): void {
    this.commits++;
    if (this.gathering || this.broken || this.closed) return;
    // A pause between two moments breaks the row.
    if (performance.now() - this.lastGathered > GATHER_MS) this.busyMoments = 0;
    this.gathering = setTimeout(() => {
      this.gathering = undefined;
      this.lastGathered = performance.now();
      this.busyMoments = this.commits >= BUSY_COMMITS ? this.busyMoments + 1 : 0;
      if (this.worker || this.busyMoments >= BUSY_MOMENTS) this.request();
      else this.commits = 0;
    }, GATHER_MS);
    this.gathering.unref();
  }

  /** Stops the thread (it finishes the checkpoint it is in). */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.gathering);
    clearTimeout(this.idle);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    this.writerCheckpointsEvery(DEFAULT_PAGES);
    await new Promise<void>((resolve) => {
      // Waited for now: an unref'd thread alone would let the process end here, before the store is closed.
      worker.ref();
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
  }

  private request(): void {
    this.commits = 0;
    if (this.closed) return;
    const worker = this.start();
    if (!worker) return;
    worker.postMessage('checkpoint');
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_STOP_MS);
    this.idle.unref();
  }

  private start(): Worker | undefined {
    if (this.worker || this.broken) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: DRIVER_PATH, file: this.file } });
    // Never what keeps a process alive.
    worker.unref();
    worker.once('error', (err) => {
      // The writer's backstop checkpoints from now on, as SQLite does by default.
      console.error('[satchel] the background checkpoint stopped:', err.message);
      this.broken = true;
      this.worker = undefined;
      this.writerCheckpointsEvery(DEFAULT_PAGES);
    });
    this.worker = worker;
    this.writerCheckpointsEvery(BACKSTOP_PAGES);
    return worker;
  }

  private stop(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    this.writerCheckpointsEvery(DEFAULT_PAGES);
    worker.postMessage('close');
  }
}
