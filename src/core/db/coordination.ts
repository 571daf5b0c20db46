// What the Satchel processes sharing one database need from each other: a message bus, a cluster-wide lock and
// "once per cluster". An engine offers it (StoreEngine.coordinate); one process alone gets the local default.

/** A JSON value as the bus carries it. */
export type BusMessage = unknown;

/**
 * Messages between the processes that share the database. A message published by one process reaches every other
 * process subscribed to its channel, in the order it was published; never the process that published it.
 */
export interface MessageBus {
  /**
   * Sends `message` (a JSON value of any size) to the other processes. Never rejects: a message that cannot be
   * sent is logged (the others catch up when they resume, see Coordination.onResume).
   */
  publish(channel: string, message: BusMessage): Promise<void>;
  /** Calls `receive` with each message another process publishes on `channel`; returns the unsubscribe. */
  subscribe(channel: string, receive: (message: BusMessage) => void | Promise<void>): () => void;
}

export interface Coordination {
  readonly bus: MessageBus;
  /**
   * Runs `fn` while holding the lock `name` across every process on the database: two holders never overlap
   * (schema syncs at start and through the collections API). Not reentrant: `fn` must not take the same lock.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** True on exactly one process for each `key` (a cron job's id and minute), false on all the others. */
  once(key: string): Promise<boolean>;
  /**
   * Calls `fn` after the bus came back from a lost connection: messages sent meanwhile may be lost, so what is
   * kept in memory from the database (settings) is read again.
   */
  onResume(fn: () => void | Promise<void>): void;
  close(): Promise<void>;
}

/** Channel names: lower-case letters, digits, `-` and `_` (they travel inside a notice's text). */
export function assertChannel(channel: string): void {
  if (!/^[a-z0-9_-]{1,40}$/.test(channel)) throw new Error(`bus channel "${channel}" must be a-z, 0-9, - or _`);
}

const SENT = Promise.resolve();

/**
 * One process alone (SQLite's default): there is nobody to tell, so publishing costs nothing; locks serialize the
 * holders of this process only; every `once` is this process's.
 */
export function localCoordination(): Coordination {
  const locks = new Map<string, Promise<unknown>>();
  return {
    bus: {
      // Called for every committed record change: nothing to check, nothing to allocate.
      publish: () => SENT,
      subscribe: (channel) => {
        assertChannel(channel);
        return () => undefined;
      },
    },
    withLock: <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const before = locks.get(name) ?? Promise.resolve();
      const run = before.then(fn, fn);
      const settled = run.catch(() => undefined);
      locks.set(name, settled);
      // The chain is dropped once nothing waits behind this holder.
      void settled.then(() => {
        if (locks.get(name) === settled) locks.delete(name);
      });
      return run;
    },
    once: () => Promise.resolve(true),
    onResume: () => undefined,
    close: () => Promise.resolve(),
  };
}
