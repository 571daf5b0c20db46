// Password hashing on threads of its own, one per core, each working through its own queue back to back.
//
// Why not libuv's pool behind a slot limit (hash-slots.ts): a slot freed by a finished hash was only handed to the
// next one once the event loop got round to the completion, which under load left a core idle for a millisecond or
// two between 20 ms hashes (sign-ups ran at ~0.85 of the machine's raw hash rate). Here the next job already waits
// in the thread's queue; the event loop only posts jobs and reads answers. libuv's pool stays free for files.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export type HashJob =
  { op: 'hash'; password: string; options: Record<string, number> } | { op: 'verify'; hash: string; password: string };

/** The thread's program: plain CommonJS, evaluated (no file of its own in dist/). */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.library);
parentPort.on('message', (job) => {
  try {
    const result = job.op === 'hash' ? argon2.hashSync(job.password, job.options) : argon2.verifySync(job.hash, job.password);
    parentPort.postMessage({ id: job.id, result });
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
});
`;

/** A thread with nothing to do for this long stops; the next password starts it again. */
const IDLE_STOP_MS = 30_000;

interface Pending {
  resolve: (value: string | boolean) => void;
  reject: (err: Error) => void;
}

class HashThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private idle: NodeJS.Timeout | undefined;

  constructor(
    private readonly library: string,
    private readonly onBroken: () => void,
  ) {}

  get queued(): number {
    return this.pending.size;
  }

  run(id: number, job: HashJob): Promise<string | boolean> {
    const worker = this.start();
    clearTimeout(this.idle);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Held while it has work, so a process finishing a sign-up waits for it; idle, it never keeps one alive.
      worker.ref();
      worker.postMessage({ ...job, id });
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library: this.library } });
    worker.unref();
    worker.on('message', (m: { id: number; result?: string | boolean; error?: string }) => {
      const job = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) job?.reject(new Error(m.error));
      else job?.resolve(m.result!);
      if (this.pending.size === 0) this.rest();
    });
    worker.once('error', (err) => this.fail(err));
    worker.once('exit', () => {
      if (this.worker === worker) this.fail(new Error('the hashing thread stopped'));
    });
    this.worker = worker;
    return worker;
  }

  private rest(): void {
    this.worker?.unref();
    this.idle = setTimeout(() => {
      const worker = this.worker;
      if (!worker || this.pending.size) return;
      this.worker = undefined;
      void worker.terminate();
    }, IDLE_STOP_MS);
    this.idle.unref();
  }

  /** A thread that cannot run (the addon failed to load): its jobs fail over to the caller's fallback. */
  private fail(err: Error): void {
    this.worker = undefined;
    for (const job of this.pending.values()) job.reject(err);
    this.pending.clear();
    this.onBroken();
  }
}

export class HashPool {
  private readonly threads: HashThread[];
  private nextId = 1;
  /** Set when a thread could not run: callers then hash on libuv's pool as before. */
  broken = false;

  constructor(size: number, library: string) {
    this.threads = Array.from({ length: Math.max(1, size) }, () => new HashThread(library, () => (this.broken = true)));
  }

  /** Runs the job on the thread with the shortest queue. */
  run(job: HashJob): Promise<string | boolean> {
    let best = this.threads[0]!;
    for (const thread of this.threads) if (thread.queued < best.queued) best = thread;
    return best.run(this.nextId++, job);
  }
}

const configured = Number(process.env.SATCHEL_HASH_CONCURRENCY);
/**
 * One thread per core. Measured on 2 cores (bench/RESULTS.md): more threads than cores pushed the event loop's delay
 * p99 past 10 ms; fewer cost sign-ups per second.
 */
export const hashPool = new HashPool(
  configured > 0 ? configured : availableParallelism(),
  createRequire(import.meta.url).resolve('@node-rs/argon2'),
);
