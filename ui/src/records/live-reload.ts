// Live tables: a change to a collection's records made anywhere (another tab, a script, a hook) reloads the
// open table. Through the SDK's realtime subscription, as any client would; bursts are folded into one reload.
import { useEffect, useState } from 'preact/hooks';
import { pb } from '../pb';

/** A burst of changes (an import) reloads once per this many ms, not once per record. */
const RELOAD_EVERY_MS = 400;

/** A number that changes after records of `collection` changed on the server. */
export function useLiveVersion(collection: string): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let stopped = false;
    let pending: ReturnType<typeof setTimeout> | undefined;
    let unsubscribe: (() => Promise<void>) | undefined;
    const changed = () => {
      pending ??= setTimeout(() => {
        pending = undefined;
        if (!stopped) setVersion((v) => v + 1);
      }, RELOAD_EVERY_MS);
    };
    pb.collection(collection)
      .subscribe('*', changed)
      .then((stop) => {
        if (stopped) void stop();
        else unsubscribe = stop;
      })
      // Without realtime (a proxy that buffers event streams) the table still works; it just is not live.
      .catch(() => undefined);
    return () => {
      stopped = true;
      clearTimeout(pending);
      void unsubscribe?.().catch(() => undefined);
    };
  }, [collection]);
  return version;
}
