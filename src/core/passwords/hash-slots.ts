// Bounds how many password computations run at once on libuv's pool (bcrypt, and argon2 when its own threads in
// hash-pool.ts cannot run), so hashing cannot crowd the event loop off the CPU.
import { availableParallelism } from 'node:os';

/**
 * A counting semaphore. Hashes beyond the limit wait in FIFO order; a queue in JS costs nothing while
 * libuv's own queue would hold four 19 MiB computations on two cores and starve the event loop of CPU.
 */
export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const configured = Number(process.env.SATCHEL_HASH_CONCURRENCY);
/**
 * One computation per core. Measured on 2 cores (bench/RESULTS.md): cores-1 kept event-loop delay p99 near 4 ms but
 * cost 30% of sign-ups per second; one per core keeps it near 7 ms (target < 10) at full throughput; libuv's
 * default four threads pushed it past 10 ms.
 */
export const hashSlots = new Slots(configured > 0 ? configured : availableParallelism());
