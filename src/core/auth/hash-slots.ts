// Bounds how many argon2 computations run at once, so hashing leaves CPU for the event loop.
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
/** One computation per core, less one core kept for the event loop (at least one). */
export const hashSlots = new Slots(configured > 0 ? configured : Math.max(1, availableParallelism() - 1));
