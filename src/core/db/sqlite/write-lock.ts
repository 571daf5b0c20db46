// A FIFO lock: one writer at a time, as SQLite allows, without blocking the event loop while others wait.

export class WriteLock {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  /** Takes the lock at once when it is free; the fast path of single-statement writes. */
  tryAcquire(): boolean {
    if (this.held) return false;
    this.held = true;
    return true;
  }

  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }

  get isHeld(): boolean {
    return this.held;
  }
}
