// Owns measuring interference: how much CPU processes other than the benchmark's own (the runner and the servers)
// used during a measured run, from /proc/stat and /proc/<pid>/stat. On a shared 2-core machine a test suite
// running at the same time moves req/s by tens of percent; the report shows this figure next to each number.
import { readFileSync } from 'node:fs';

/** user+nice+system jiffies of the whole machine (irq/softirq left out: loopback traffic is counted there). */
function machineBusy() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0].trim().split(/\s+/).slice(1).map(Number);
  return fields[0] + fields[1] + fields[2];
}

/** utime+stime jiffies of one process (plus those of its exited, reaped children if asked); 0 once it is gone. */
function processBusy(pid, withChildren = false) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: fields are counted after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(rest[11]) + Number(rest[12]);
    return withChildren ? own + Number(rest[13]) + Number(rest[14]) : own;
  } catch {
    return 0;
  }
}

/**
 * Starts a measurement over `pids` (this process and its exited children are always included; a child still
 * running when stop() is called counts only if its pid is listed). stop() returns
 * { foreignCores, ownCores, coresByPid }: average cores busy with other processes / with ours / per watched process.
 * All are null where /proc is not available.
 */
export function startCpuWatch(pids) {
  const all = [...new Set([process.pid, ...pids])];
  const busy = (p) => processBusy(p, p === process.pid);
  let t0;
  let m0;
  let per0;
  try {
    t0 = process.hrtime.bigint();
    m0 = machineBusy();
    per0 = all.map(busy);
  } catch {
    return { stop: () => ({ foreignCores: null, ownCores: null, coresByPid: null }) };
  }
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const ticksPerSecond = 100; // USER_HZ on Linux
      const cores = (ticks) => ticks / ticksPerSecond / seconds;
      const machine = machineBusy() - m0;
      const per = all.map((p, i) => busy(p) - per0[i]);
      const own = per.reduce((a, x) => a + x, 0);
      return {
        foreignCores: cores(Math.max(0, machine - own)),
        ownCores: cores(own),
        /** Cores used by each watched process (this one under its own pid). */
        coresByPid: Object.fromEntries(all.map((p, i) => [p, cores(per[i])])),
      };
    },
  };
}

/**
 * Waits, in 1 s windows, until other processes have used less than `threshold` cores for `quietSeconds` windows in
 * a row, for at most `maxSeconds`. Resolves with { quiet, waitedSeconds, foreignCores (of the last window) }.
 */
export async function waitForQuiet(pids, { threshold = 0.15, quietSeconds = 3, maxSeconds = 20 } = {}) {
  const started = Date.now();
  let last = null;
  let calm = 0;
  for (let i = 0; i < Math.max(quietSeconds, Math.ceil(maxSeconds)); i++) {
    const watch = startCpuWatch(pids);
    await new Promise((r) => setTimeout(r, 1000));
    last = watch.stop().foreignCores;
    if (last === null) return { quiet: true, waitedSeconds: (Date.now() - started) / 1000, foreignCores: null };
    calm = last < threshold ? calm + 1 : 0;
    if (calm >= quietSeconds) return { quiet: true, waitedSeconds: (Date.now() - started) / 1000, foreignCores: last };
  }
  return { quiet: false, waitedSeconds: (Date.now() - started) / 1000, foreignCores: last };
}
