// Owns bench/RESULTS.md: turns one run's measurements into the markdown report (overwritten on every run).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { keptSections } from './sections.mjs';
import os from 'node:os';
import { join, relative, resolve } from 'node:path';
import { BENCH_DIR, ROOT_DIR } from './fixtures.mjs';

/** bench/RESULTS.md, or BENCH_RESULTS_FILE (for experiments that should not replace the report). */
export const RESULTS_FILE = process.env.BENCH_RESULTS_FILE
  ? resolve(ROOT_DIR, process.env.BENCH_RESULTS_FILE)
  : join(BENCH_DIR, 'RESULTS.md');

const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes) => (bytes === null || bytes === undefined ? null : bytes / (1024 * 1024));
/** Cores used by other processes during a measured run above which the report flags the scenario as noisy. */
const NOISY_CORES = 0.15;
const verdict = (ok) => (ok ? '**PASS**' : '**FAIL**');

/** Whether other processes used a noticeable share of the CPU while either side of a scenario was measured. */
function isNoisy(s) {
  return [s.baseline, s.satchel].some(
    (r) => r.foreignCores !== null && r.foreignCores !== undefined && r.foreignCores > NOISY_CORES,
  );
}

/** Server CPU time per answered request, in µs; null when /proc was not readable. */
function cpuMicrosPerRequest(r) {
  if (r.serverCores === null || r.serverCores === undefined || !r.reqPerSec) return null;
  return (r.serverCores / r.reqPerSec) * 1e6;
}

/** Machine facts for the header. */
export function machineInfo() {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model?.trim() ?? 'unknown',
    cpuCount: cpus.length,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    memGiB: os.totalmem() / 1024 ** 3,
  };
}

/** Whether a scenario meets its target: the ratio, and no non-2xx or socket errors on either side. */
export function scenarioPasses(s) {
  const clean = [s.baseline, s.satchel].every((r) => r.non2xx === 0 && r.errors === 0 && r.timeouts === 0);
  return clean && s.ratio >= s.targetRatio;
}

export function writeResults(run) {
  const m = run.machine;
  const lines = [];
  const push = (...l) => lines.push(...l);

  push(
    '# Satchel benchmark results',
    '',
    'Written by `bench/run.mjs`; every run overwrites this file. See `bench/README.md` for what is measured.',
    '',
    `- Date: ${run.date}`,
    `- Command: \`${run.command}\``,
    `- Machine: ${m.cpuModel} × ${m.cpuCount} CPUs, ${fmt(m.memGiB, 1)} GiB RAM, ${m.os}`,
    `- Node: ${m.node}`,
    `- Satchel under test: \`${relative(ROOT_DIR, run.satchelCli)}\` with ${Object.entries(run.satchelEnv)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')} (the load comes from one IP; per-IP limits would answer 429)`,
    `- Baseline under test: \`${relative(ROOT_DIR, run.baselineScript)}\``,
    `- Settings: ${run.settings.rounds} round(s) × ${run.settings.seconds} s measured per server per scenario (each after ${run.settings.warmupSeconds} s warm-up), ` +
      `${run.settings.connections} connections, pipelining 1, autocannon in the runner process, each server its own process on 127.0.0.1`,
    `- Seeded rows before list/view: ${Object.keys(run.seeded.baseline)
      .map((col) => `${col}: baseline ${fmt(run.seeded.baseline[col])}, Satchel ${fmt(run.seeded.satchel[col])}`)
      .join('; ')} (via each server's create route)`,
    '',
    '## Summary',
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
  );
  for (const s of run.scenarios) {
    const note = isNoisy(s) ? ' (noisy: other processes were busy)' : '';
    push(
      `| ${s.name}: Satchel ÷ baseline req/s | ≥ ${s.targetRatio} | ${fmt(s.ratio, 2)}${note} | ${verdict(scenarioPasses(s))} |`,
    );
  }
  for (const c of run.coldStarts) {
    push(
      `| cold start, ${c.label}: Satchel ÷ baseline (medians of ${c.runsMs.length}) | ≤ ${run.targets.coldStartRatio} | ${fmt(c.ratio, 2)} (${fmt(c.medianMs, 0)} vs ${fmt(c.baselineMedianMs, 0)} ms) | ${verdict(c.ratio <= run.targets.coldStartRatio)} |`,
    );
  }
  const idle = mib(run.rss.satchelIdle);
  const rssRatio = run.rss.satchelIdle / run.rss.baselineIdle;
  push(
    `| idle RSS: Satchel ÷ baseline | ≤ ${run.targets.rssRatio} | ${fmt(rssRatio, 2)} (${fmt(idle, 1)} vs ${fmt(mib(run.rss.baselineIdle), 1)} MB) | ${verdict(rssRatio <= run.targets.rssRatio)} |`,
  );
  push('');

  push('## Throughput scenarios', '');
  push(
    "Each round measures the baseline and Satchel back to back, alternating which goes first; a scenario's ratio is the median of its rounds' ratios. req/s is autocannon's mean of per-second samples" +
      (run.settings.rounds > 1 ? ', averaged over rounds; p99 is the worst round.' : '.'),
    '',
  );
  for (const s of run.scenarios) {
    push(`### ${s.name}`, '', s.description, '');
    push(
      '| baseline req/s | Satchel req/s | ratio | baseline p99 ms | Satchel p99 ms | target | result |',
      '| ---: | ---: | ---: | ---: | ---: | --- | --- |',
      `| ${fmt(s.baseline.reqPerSec)} | ${fmt(s.satchel.reqPerSec)} | ${fmt(s.ratio, 2)} | ${fmt(s.baseline.latencyP99Ms, 1)} | ${fmt(s.satchel.latencyP99Ms, 1)} | ratio ≥ ${s.targetRatio} | ${verdict(scenarioPasses(s))} |`,
      '',
    );
    const detail = (label, r) =>
      `- ${label}: ${fmt(r.totalRequests)} requests in ${fmt(r.durationSec, 1)} s, latency mean ${fmt(r.latencyMeanMs, 2)} ms / p50 ${fmt(r.latencyP50Ms, 1)} ms / max ${fmt(r.latencyMaxMs, 1)} ms; ` +
      `non-2xx ${r.non2xx}, socket errors ${r.errors}, timeouts ${r.timeouts}; ` +
      `CPU (cores): this server ${fmt(r.serverCores, 2)}, runner/autocannon ${fmt(r.runnerCores, 2)}, other processes ${fmt(r.foreignCores, 2)}`;
    push(detail('baseline', s.baseline), detail('Satchel', s.satchel));
    const bCost = cpuMicrosPerRequest(s.baseline);
    const sCost = cpuMicrosPerRequest(s.satchel);
    if (bCost !== null && sCost !== null) {
      push(
        `- Server CPU per request: baseline ${fmt(bCost, 1)} µs, Satchel ${fmt(sCost, 1)} µs (${fmt(sCost / bCost, 2)}×). ` +
          'A server near 1.0 core is CPU-bound, so this cost sets its req/s.',
      );
    }
    if (s.baseline.rounds.length > 1) {
      push(
        `- req/s per round: baseline ${s.baseline.rounds.map((x) => fmt(x)).join(', ')}; Satchel ${s.satchel.rounds.map((x) => fmt(x)).join(', ')}` +
          (s.roundRatios
            ? `; ratio per round ${s.roundRatios.map((x) => fmt(x, 2)).join(', ')} (the scenario's ratio is their median; rounds alternate which server goes first)`
            : ''),
      );
    }
    const bad = [s.baseline, s.satchel].filter((r) => r.non2xx || r.errors || r.timeouts);
    if (bad.length) push('- **Non-2xx responses or socket errors were seen: the numbers above are not comparable.**');
    if (isNoisy(s))
      push(
        `- **Other processes used more than ${NOISY_CORES} of a core during a measured run: treat this ratio as noisy.**`,
      );
    push('');
  }

  push('## Cold start', '');
  push(
    'Time from spawning `node dist/cli.js serve` (and the bare baseline server, interleaved) to the first 200 from ' +
      `its health route (polled every 5 ms). Target: Satchel's median ≤ ${run.targets.coldStartRatio}× the baseline's.`,
    '',
  );
  push(
    '| data dir | Satchel runs (ms) | baseline runs (ms) | medians ms | ratio | other processes (cores) | result |',
    '| --- | --- | --- | ---: | ---: | ---: | --- |',
  );
  for (const c of run.coldStarts) {
    push(
      `| ${c.label} | ${c.runsMs.map((x) => fmt(x, 0)).join(', ')} | ${c.baselineRunsMs.map((x) => fmt(x, 0)).join(', ')} | ${fmt(c.medianMs, 0)} vs ${fmt(c.baselineMedianMs, 0)} | ${fmt(c.ratio, 2)} | ${fmt(c.foreignCores, 2)} | ${verdict(c.ratio <= run.targets.coldStartRatio)} |`,
    );
  }
  push('');

  push('## Memory (VmRSS from /proc/<pid>/status)', '');
  push('| process | when | RSS MB | target |', '| --- | --- | ---: | --- |');
  push(
    `| Satchel | idle, ${run.rss.settleMs} ms after /api/health first answered | ${fmt(idle, 1)} | ≤ ${run.targets.rssRatio}× the baseline's: ${verdict(rssRatio <= run.targets.rssRatio)} |`,
  );
  push(`| Satchel | after all scenarios | ${fmt(mib(run.rss.satchelAfter), 1)} | (informational) |`);
  push(`| baseline | idle, after start | ${fmt(mib(run.rss.baselineIdle), 1)} | (the reference) |`);
  push(`| baseline | after all scenarios | ${fmt(mib(run.rss.baselineAfter), 1)} | (informational) |`);
  push('', 'MB here is MiB (1024 × 1024 bytes).', '');

  // Sections of the other scenario files (bench/auth.mjs, bench/filter.mjs), already written as markdown.
  for (const section of run.extraSections ?? []) push(section, '');

  if (run.notes.length) {
    push('## Notes', '');
    for (const n of run.notes) push(`- ${n}`);
    push('');
  }

  // The sections other tools write (npm run test:soak's reliability table, bench/realtime.mjs) are kept.
  const kept = existsSync(RESULTS_FILE) ? keptSections(readFileSync(RESULTS_FILE, 'utf8')) : [];
  writeFileSync(RESULTS_FILE, lines.join('\n') + kept.map((section) => `\n${section}\n`).join(''));
  return RESULTS_FILE;
}
