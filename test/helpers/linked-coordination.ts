// Processes sharing one database, in one test process: coordinations linked in memory, as PostgreSQL links real
// ones (messages to the others, asynchronously and as copies; one lock; one claim per key). A process can lose its
// link for a while: what is published meanwhile never reaches it, and it is told when the link is back.
import type { BusMessage, Coordination } from '../../src/core/db/index.js';

export interface LinkedCoordination extends Coordination {
  /** Messages to this process are lost from now on... */
  disconnect(): void;
  /** ...until now: its resume callbacks run. */
  reconnect(): void;
}

export function linkedCoordinations(count: number): LinkedCoordination[] {
  type Receiver = (message: BusMessage) => void | Promise<void>;
  const receivers: Map<string, Set<Receiver>>[] = [];
  const connected: boolean[] = [];
  const claimed = new Set<string>();
  const locks = new Map<string, Promise<unknown>>();
  const make = (me: number): LinkedCoordination => {
    receivers[me] = new Map();
    connected[me] = true;
    const resumers: (() => void | Promise<void>)[] = [];
    let inbox: Promise<void> = Promise.resolve();
    return {
      bus: {
        publish: (channel, message) => {
          const text = JSON.stringify(message ?? null);
          receivers.forEach((byChannel, i) => {
            if (i === me || !connected[i]) return;
            for (const receive of byChannel.get(channel) ?? []) {
              setImmediate(() => {
                inbox = inbox.then(() => receive(JSON.parse(text))).catch((err) => console.error(err));
              });
            }
          });
          return Promise.resolve();
        },
        subscribe: (channel, receive) => {
          const set = receivers[me]!.get(channel) ?? new Set();
          receivers[me]!.set(channel, set.add(receive));
          return () => set.delete(receive);
        },
      },
      withLock: <T>(name: string, fn: () => Promise<T>) => {
        const run = (locks.get(name) ?? Promise.resolve()).then(fn, fn);
        locks.set(
          name,
          run.catch(() => undefined),
        );
        return run;
      },
      once: (key) => Promise.resolve(!claimed.has(key) && !!claimed.add(key)),
      onResume: (fn) => void resumers.push(fn),
      disconnect: () => void (connected[me] = false),
      reconnect: () => {
        connected[me] = true;
        for (const fn of resumers) void fn();
      },
      close: () => {
        receivers[me] = new Map();
        return Promise.resolve();
      },
    };
  };
  return Array.from({ length: count }, (_, i) => make(i));
}
