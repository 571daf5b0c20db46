// Work a transaction runs after it ends (afterCommit / afterRollback), the same for every engine.

export type Callback = () => void | Promise<void>;

/** Work after a commit or a rollback cannot change its outcome: its failures are logged, never returned. */
export async function runCallbacks(callbacks: Callback[], after: 'commit' | 'rollback' = 'commit'): Promise<void> {
  for (const callback of callbacks) {
    try {
      await callback();
    } catch (err) {
      console.error(`[satchel] work after a ${after} failed:`, err);
    }
  }
}
