// Waiting for another process to catch up (a change it hears of, a notice it passes on), bounded in tries and time.
import type PocketBase from 'pocketbase';

/** Polls `check` until it holds: at most 100 tries, 50 ms apart (5 s); then fails, naming `what` was awaited. */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  what = 'the other process catching up',
): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`never happened within 5 s: ${what}`);
}

/** Whether the process behind `p.pb` serves the records of `collection` (a list of them answers). */
export const serves = (p: { pb: PocketBase }, collection: string): Promise<boolean> =>
  p.pb
    .collection(collection)
    .getList(1, 1)
    .then(
      () => true,
      () => false,
    );
