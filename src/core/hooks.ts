// The generic hook: handlers bound in order, each deciding whether (and when) to call next().
// The built-in behaviour is the innermost step, so a handler can act before it, after it, or stop it.

/** What every hook event carries: the way on to the next handler (and finally the built-in step). */
export interface HookEvent {
  next(): Promise<void>;
}

export type HookHandler<E> = (event: E) => unknown;

interface Bound<E> {
  id: string;
  fn: HookHandler<E>;
  /** Collection names or ids this handler is for; empty means all. */
  tags: string[];
}

let counter = 0;

/** A list of handlers for one event type. */
export class Hook<E extends { next(): unknown }> {
  private handlers: Bound<E>[] = [];

  /** Adds a handler; returns its id for unbind(). Tags limit it to some collections (by name or id). */
  bind(fn: HookHandler<E>, options: { id?: string; tags?: string[] } = {}): string {
    const id = options.id ?? `hook_${++counter}`;
    this.unbind(id);
    this.handlers.push({ id, fn, tags: options.tags ?? [] });
    return id;
  }

  unbind(id: string): void {
    this.handlers = this.handlers.filter((h) => h.id !== id);
  }

  /** The handlers that apply to events tagged with any of `tags`. */
  private applicable(tags: string[]): Bound<E>[] {
    return this.handlers.filter((h) => h.tags.length === 0 || h.tags.some((t) => tags.includes(t)));
  }

  /** True when no handler would run for these tags, so callers can skip building an event. */
  isEmpty(tags: string[] = []): boolean {
    return this.handlers.length === 0 || this.applicable(tags).length === 0;
  }

  /**
   * Runs the chain; `inner` is the built-in step. A handler that returns without calling next() stops the chain.
   * A handler that calls next() without awaiting it still has the rest of the chain finish before the trigger
   * does (`e.next()` in a handler that returns nothing is the common way to write one).
   */
  async trigger(event: Omit<E, 'next'>, tags: string[], inner: (event: E) => unknown): Promise<void> {
    const chain = this.applicable(tags);
    const e = event as E;
    let index = -1;
    const step = async (i: number): Promise<void> => {
      if (i <= index) throw new Error('next() was called more than once');
      index = i;
      const handler = chain[i];
      if (!handler) {
        await inner(e);
        return;
      }
      let rest: Promise<void> | undefined;
      (e as { next: () => Promise<void> }).next = () => {
        rest = step(i + 1);
        // Awaited below; the handler need not await it itself.
        rest.catch(() => undefined);
        return rest;
      };
      await handler.fn(e);
      if (rest) await rest;
    };
    await step(0);
  }
}
