// The benchmark runner (`npm run bench` after `npm run build`): starts Satchel and the bare baseline as separate
// child processes, drives both with autocannon from this process, measures cold start and idle RSS, and writes
// bench/RESULTS.md. Never part of `npm test`. Environment knobs: see bench/README.md.
import { join } from 'node:path';
import { freePort, installCleanup, killAll, onInterrupt, rssBytes, spawnNode, stop, waitForOk } from './children.mjs';
import { makeWorkDir, removeWorkDir, ROOT_DIR } from './fixtures.mjs';
import { startCpuWatch, waitForQuiet } from './cpu-noise.mjs';
import { runLoad } from './load.mjs';
import { authMarkdown, runAuthBench } from './auth.mjs';
import { runBatchBench, writeBatchSection } from './batch.mjs';
import { filterMarkdown, runFilterBench } from './filter.mjs';
import { runRealtimeBench, writeRealtimeSection } from './realtime.mjs';
import { runFilesBench, writeFilesSection } from './files.mjs';
import { runLogsBench, writeLogsSection } from './logs.mjs';
import { postgresInstalled, runPostgresBench, writePostgresSection } from './postgres.mjs';
import { machineInfo, scenarioPasses, writeResults } from './report.mjs';
import { collectionsOf, middleId, sanityCheck, scenarioList, seed, selectScenarios } from './scenarios.mjs';
import {
  assertBuilt,
  BASELINE_SCRIPT,
  SATCHEL_CLI,
  SATCHEL_ENV,
  satchelArgs,
  startBaseline,
  startSatchel,
} from './servers.mjs';
import { envNumber } from './env.mjs';

const SETTINGS = {
  seconds: envNumber('BENCH_SECONDS', 10, { min: 1, max: 600 }),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, { min: 0, max: 60 }),
  connections: envNumber('BENCH_CONNECTIONS', 50, { min: 1, max: 1000 }),
  seedRows: envNumber('BENCH_SEED_ROWS', 10_000, { min: 100, max: 1_000_000 }),
  coldRuns: envNumber('BENCH_COLD_RUNS', 5, { min: 1, max: 25 }),
  rounds: envNumber('BENCH_ROUNDS', 1, { min: 1, max: 10 }),
  quietWaitSeconds: envNumber('BENCH_QUIET_WAIT_SECONDS', 20, { min: 0, max: 600 }),
  scenarios: (process.env.BENCH_SCENARIOS || 'list,view,create')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
  // The scenarios with servers of their own: bench/auth.mjs, filter.mjs, realtime.mjs, files.mjs, logs.mjs, batch.mjs,
  // postgres.mjs (skipped with a note when PostgreSQL is not installed).
  extras: (process.env.BENCH_EXTRAS ?? 'auth,filter,realtime,files,logs,batch,postgres')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
};
// Cold start and idle memory are measured against the bare baseline server in the same run, as ratios.
const TARGETS = { ratio: 0.8, coldStartRatio: 1.3, rssRatio: 1.2 };
const RSS_SETTLE_MS = 1000;

const log = (...args) => console.log('[bench]', ...args);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/**
 * Spawns the bare baseline and Satchel `runs` times each, interleaved (baseline, Satchel, baseline, …), against
 * data from `satchelDataDirFor(i)` and `baselineDbFor(i)`; each process is stopped before the next starts.
 */
async function measureColdStart(label, runs, satchelDataDirFor, collectionsDir, baselineDbFor) {
  const runsMs = [];
  const baselineRunsMs = [];
  if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
  const watch = startCpuWatch([]);
  const time = async (args, env, health) => {
    const port = await freePort();
    const handle = spawnNode(args(port), { cwd: ROOT_DIR, env });
    try {
      const readyAt = await waitForOk(handle, port, health, { timeoutMs: 15_000, intervalMs: 5 });
      return Number(readyAt - handle.spawnedAt) / 1e6;
    } finally {
      await stop(handle);
    }
  };
  for (let i = 0; i < runs; i++) {
    baselineRunsMs.push(
      await time((port) => [BASELINE_SCRIPT, `--port=${port}`, `--db=${baselineDbFor(i)}`], {}, '/health'),
    );
    runsMs.push(
      await time((port) => satchelArgs(port, satchelDataDirFor(i), collectionsDir), SATCHEL_ENV, '/api/health'),
    );
  }
  // Every spawned server has exited and been reaped by now, so its CPU counts as ours.
  const { foreignCores } = watch.stop();
  const result = {
    label,
    runsMs,
    medianMs: median(runsMs),
    baselineRunsMs,
    baselineMedianMs: median(baselineRunsMs),
    foreignCores,
  };
  result.ratio = result.medianMs / result.baselineMedianMs;
  const noise = foreignCores === null ? '' : ` (other processes ${foreignCores.toFixed(2)} cores)`;
  log(
    `cold start (${label}): Satchel ${runsMs.map((x) => x.toFixed(0)).join(', ')} ms -> median ${result.medianMs.toFixed(0)} ms; ` +
      `baseline median ${result.baselineMedianMs.toFixed(0)} ms; ratio ${result.ratio.toFixed(2)}${noise}`,
  );
  return result;
}

/** Warm-up (discarded) then the measured run, for one server and one scenario. */
async function measure(server, scenario, ctx, round) {
  const spec = scenario.request(server, ctx);
  const load = (seconds) =>
    runLoad({ ...spec, url: server.baseUrl + spec.path, seconds, connections: SETTINGS.connections });
  // Other work on the machine (a test suite, a build) skews req/s: give it a bounded chance to finish first.
  const quiet =
    SETTINGS.quietWaitSeconds > 0 ? await waitForQuiet(ctx.pids, { maxSeconds: SETTINGS.quietWaitSeconds }) : null;
  if (quiet && !quiet.quiet)
    log(
      `machine still busy after ${quiet.waitedSeconds.toFixed(0)} s (${quiet.foreignCores.toFixed(2)} cores used by other processes); measuring anyway`,
    );
  if (SETTINGS.warmupSeconds > 0) await load(SETTINGS.warmupSeconds);
  const watch = startCpuWatch(ctx.pids);
  const loadResult = await load(SETTINGS.seconds);
  const { foreignCores, ownCores, coresByPid } = watch.stop();
  const r = {
    ...loadResult,
    foreignCores,
    ownCores,
    serverCores: coresByPid?.[server.pid] ?? null,
    runnerCores: coresByPid?.[process.pid] ?? null,
  };
  const flags =
    r.non2xx || r.errors || r.timeouts ? ` (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})` : '';
  const tag = SETTINGS.rounds > 1 ? ` round ${round + 1}` : '';
  const noise =
    r.foreignCores === null
      ? ''
      : `  cores: server ${r.serverCores.toFixed(2)}, runner ${r.runnerCores.toFixed(2)}, other processes ${r.foreignCores.toFixed(2)}`;
  log(
    `${scenario.name.padEnd(15)} ${server.label.padEnd(8)} ${r.reqPerSec.toFixed(0).padStart(7)} req/s  p99 ${r.latencyP99Ms} ms${noise}${tag}${flags}`,
  );
  return r;
}

/** Several rounds of one server and scenario as one result: mean req/s, worst p99, summed counts. */
function combineRounds(rounds) {
  if (rounds.length === 1) return { ...rounds[0], rounds: [rounds[0].reqPerSec] };
  const sum = (k) => rounds.reduce((a, r) => a + r[k], 0);
  const total = sum('totalRequests');
  return {
    reqPerSec: sum('reqPerSec') / rounds.length,
    totalRequests: total,
    durationSec: sum('durationSec'),
    latencyMeanMs: rounds.reduce((a, r) => a + r.latencyMeanMs * r.totalRequests, 0) / Math.max(1, total),
    latencyP50Ms: sum('latencyP50Ms') / rounds.length,
    latencyP99Ms: Math.max(...rounds.map((r) => r.latencyP99Ms)),
    latencyMaxMs: Math.max(...rounds.map((r) => r.latencyMaxMs)),
    ok2xx: sum('ok2xx'),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    foreignCores: rounds.some((r) => r.foreignCores === null) ? null : Math.max(...rounds.map((r) => r.foreignCores)),
    ownCores: rounds.some((r) => r.ownCores === null) ? null : sum('ownCores') / rounds.length,
    serverCores: rounds.some((r) => r.serverCores === null) ? null : sum('serverCores') / rounds.length,
    runnerCores: rounds.some((r) => r.runnerCores === null) ? null : sum('runnerCores') / rounds.length,
    rounds: rounds.map((r) => r.reqPerSec),
  };
}

/** How this run was started, with the BENCH_* variables that were set. */
function commandLine() {
  const vars = Object.entries(process.env)
    .filter(([k, v]) => k.startsWith('BENCH_') && v !== '')
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  return ['npm run build &&', ...vars, 'node bench/run.mjs'].join(' ');
}

async function main() {
  installCleanup();
  assertBuilt();
  const started = Date.now();
  const scenarios = selectScenarios(scenarioList(SETTINGS.seedRows), SETTINGS.scenarios);
  const work = makeWorkDir();
  if (process.env.BENCH_KEEP_TMP !== '1') onInterrupt(() => removeWorkDir(work));
  const notes = [];
  log(`work dir ${work.dir}`);
  log(`settings ${JSON.stringify(SETTINGS)}`);
  try {
    // 1. Cold start on empty data dirs, before anything else competes for the CPU.
    const coldFresh = await measureColdStart(
      'empty data dir (first boot)',
      SETTINGS.coldRuns,
      (i) => work.coldDataDir(`fresh-${i}`),
      work.collectionsDir,
      (i) => join(work.coldDataDir(`fresh-baseline-${i}`), 'baseline.db'),
    );

    // 2. The two servers, each its own process.
    const baseline = await startBaseline({ dbFile: work.baselineDb });
    const satchel = await startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir });
    log(
      `baseline pid ${baseline.pid} on ${baseline.baseUrl}; Satchel pid ${satchel.pid} on ${satchel.baseUrl} (up in ${satchel.startMs.toFixed(0)} ms)`,
    );
    await sleep(RSS_SETTLE_MS);
    const rss = {
      settleMs: RSS_SETTLE_MS,
      satchelIdle: rssBytes(satchel.pid),
      baselineIdle: rssBytes(baseline.pid),
    };
    if (rss.satchelIdle === null) notes.push('/proc/<pid>/status was not readable: RSS could not be measured.');
    log(
      `idle RSS: Satchel ${(rss.satchelIdle / 2 ** 20).toFixed(1)} MB, baseline ${(rss.baselineIdle / 2 ** 20).toFixed(1)} MB`,
    );

    // 3. Same routes answer with the same record shape, same data underneath.
    const headers = { baseline: await sanityCheck(baseline), satchel: await sanityCheck(satchel) };
    if (headers.baseline.join() !== headers.satchel.join()) {
      const note = `Response headers differ: baseline sends ${headers.baseline.join(', ')}; Satchel sends ${headers.satchel.join(', ')}. bench/baseline-server.mjs copies Satchel's set; update it.`;
      notes.push(note);
      log(note);
    }
    const seeded = { baseline: {}, satchel: {} };
    const ctx = { pids: [baseline.pid, satchel.pid], viewIds: {} };
    for (const col of collectionsOf(scenarios)) {
      ctx.viewIds[col.name] = {};
      for (const s of [baseline, satchel]) {
        const r = await seed(s, col, SETTINGS.seedRows, SETTINGS.connections);
        seeded[s.name][col.name] = r.rows;
        ctx.viewIds[col.name][s.name] = await middleId(s, col, r.rows);
        log(
          `seeded ${s.label} ${col.name}: ${r.created} creates at ~${r.reqPerSec.toFixed(0)} req/s, ${r.rows} rows now`,
        );
      }
    }

    // 4. Scenarios, baseline then Satchel for each (and each round). The creates run last so list and view see
    //    the same row count on both servers.
    const results = [];
    for (const scenario of scenarios) {
      const runs = { baseline: [], satchel: [] };
      // This VM's speed drifts by tens of percent within minutes: each round measures the pair back to back, the
      // order alternates (baseline first, then Satchel first, ...), and the scenario's ratio is the median of the
      // rounds' ratios, so one slow minute moves one round, not the verdict.
      const roundRatios = [];
      for (let round = 0; round < SETTINGS.rounds; round++) {
        const order = round % 2 === 0 ? ['baseline', 'satchel'] : ['satchel', 'baseline'];
        for (const name of order)
          runs[name].push(await measure(name === 'baseline' ? baseline : satchel, scenario, ctx, round));
        const [br, sr] = [runs.baseline.at(-1), runs.satchel.at(-1)];
        roundRatios.push(br.reqPerSec > 0 ? sr.reqPerSec / br.reqPerSec : NaN);
      }
      const b = combineRounds(runs.baseline);
      const s = combineRounds(runs.satchel);
      const result = {
        name: scenario.name,
        description: scenario.description,
        baseline: b,
        satchel: s,
        ratio: median(roundRatios),
        roundRatios,
        targetRatio: TARGETS.ratio,
      };
      results.push(result);
      log(
        `${scenario.name}: ratio ${result.ratio.toFixed(2)} (target >= ${TARGETS.ratio}) ${scenarioPasses(result) ? 'PASS' : 'FAIL'}`,
      );
    }
    rss.satchelAfter = rssBytes(satchel.pid);
    rss.baselineAfter = rssBytes(baseline.pid);

    // 5. Cold start again, on the now populated data dir (Satchel stopped first: one process per data dir).
    await stop(satchel.handle);
    await stop(baseline.handle);
    const coldExisting = await measureColdStart(
      'existing data dir (restart)',
      SETTINGS.coldRuns,
      () => work.satchelDataDir,
      work.collectionsDir,
      () => work.baselineDb,
    );

    // 6. The scenarios with servers of their own.
    const extraSections = [];
    const extraOptions = { seconds: SETTINGS.seconds };
    if (SETTINGS.extras.includes('auth')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      const options = { ...extraOptions, connections: 16 };
      const auth = await runAuthBench(options);
      log(
        `auth: raw ${auth.raw.hashesPerSecond.toFixed(1)} hashes/s; ${auth.scenarios.map((x) => `${x.name} ${x.load.reqPerSec.toFixed(1)} req/s, event-loop p99 ${x.delay.p99} ms`).join('; ')}`,
      );
      extraSections.push(authMarkdown(auth, options));
    }
    if (SETTINGS.extras.includes('filter')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      const options = { ...extraOptions, connections: 10 };
      const filter = await runFilterBench(options);
      log(
        `filter: ${filter.rows.map((r) => `${r.label} ${(r.sat.reqPerSec / r.base.reqPerSec).toFixed(2)}`).join('; ')}`,
      );
      extraSections.push(filterMarkdown(filter, options));
    }

    let realtime;
    if (SETTINGS.extras.includes('realtime')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      realtime = await runRealtimeBench();
    }
    let files;
    if (SETTINGS.extras.includes('files')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      files = await runFilesBench();
    }
    let logs;
    if (SETTINGS.extras.includes('logs')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      logs = await runLogsBench();
    }
    let batch;
    if (SETTINGS.extras.includes('batch')) {
      if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
      batch = await runBatchBench();
    }
    let postgres;
    if (SETTINGS.extras.includes('postgres')) {
      if (!(await postgresInstalled())) {
        log('postgres: PostgreSQL is not installed (no initdb), so its section is not measured');
      } else {
        if (SETTINGS.quietWaitSeconds > 0) await waitForQuiet([], { maxSeconds: SETTINGS.quietWaitSeconds });
        postgres = await runPostgresBench();
      }
    }

    const file = writeResults({
      extraSections,
      date: new Date().toISOString(),
      command: commandLine(),
      satchelCli: SATCHEL_CLI,
      baselineScript: BASELINE_SCRIPT,
      satchelEnv: SATCHEL_ENV,
      machine: machineInfo(),
      settings: SETTINGS,
      targets: TARGETS,
      seeded,
      scenarios: results,
      coldStarts: [coldFresh, coldExisting],
      rss,
      notes,
    });
    if (realtime) writeRealtimeSection(realtime);
    if (files) writeFilesSection(files);
    if (logs) writeLogsSection(logs);
    if (batch) writeBatchSection(batch);
    if (postgres) writePostgresSection(postgres);
    log(`wrote ${file} (${((Date.now() - started) / 1000).toFixed(0)} s total)`);
    const failed =
      results.some((r) => !scenarioPasses(r)) ||
      [coldFresh, coldExisting].some((c) => !(c.ratio <= TARGETS.coldStartRatio)) ||
      !(rss.satchelIdle / rss.baselineIdle <= TARGETS.rssRatio);
    if (failed) log(`some targets were missed; see ${file}`);
    if (failed && process.env.BENCH_STRICT === '1') process.exitCode = 1;
  } finally {
    await killAll();
    if (process.env.BENCH_KEEP_TMP === '1') log(`kept ${work.dir}`);
    else removeWorkDir(work);
  }
}

main().catch(async (err) => {
  console.error('[bench] failed:', err?.stack ?? err);
  await killAll();
  process.exit(1);
});
