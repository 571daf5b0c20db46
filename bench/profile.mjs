// Owns CPU profiling under the benchmark's load: for each scenario, starts `node --cpu-prof dist/cli.js serve`
// (or the baseline, with PROFILE_SERVER=baseline) as its own process, drives it with autocannon from this process,
// stops it (V8 writes the profile on exit) and prints where the time went. Not part of `npm test` or of run.mjs.
//   npm run build && node bench/profile.mjs [articles-create|create|articles|... ...]   (default: every scenario)
// Profiles stay in bench/.tmp/profiles/ (gitignored) for Chrome DevTools / speedscope.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { installCleanup, killAll, onInterrupt, stop } from './children.mjs';
import { formatSummary, summarizeProfile } from './cpuprofile-summary.mjs';
import { makeWorkDir, removeWorkDir, TMP_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { collectionsOf, middleId, sanityCheck, scenarioList, seed, selectScenarios } from './scenarios.mjs';
import { assertBuilt, startBaseline, startSatchel } from './servers.mjs';

const seconds = Math.min(600, Math.max(1, Number(process.env.BENCH_SECONDS) || 10));
const warmupSeconds = Math.min(60, Math.max(0, Number(process.env.BENCH_WARMUP_SECONDS ?? 2) || 0));
const connections = Math.min(1000, Math.max(1, Number(process.env.BENCH_CONNECTIONS) || 50));
const seedRows = Math.min(1_000_000, Math.max(100, Number(process.env.BENCH_SEED_ROWS) || 10_000));
const top = Math.min(200, Math.max(5, Number(process.env.PROFILE_TOP) || 25));
const target = process.env.PROFILE_SERVER || 'satchel';
// A fixed request rate (req/s) instead of full speed: per-request costs then compare between servers (see README).
const rate = Math.max(0, Number(process.env.PROFILE_RATE) || 0);

/** Starts the server being profiled on the run's data. */
function start(work, nodeFlags = []) {
  return target === 'baseline'
    ? startBaseline({ dbFile: work.baselineDb, nodeFlags })
    : startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir, nodeFlags });
}

async function main() {
  installCleanup();
  assertBuilt();
  const all = scenarioList(seedRows);
  const wanted = process.argv.slice(2);
  if (target !== 'satchel' && target !== 'baseline') throw new Error('PROFILE_SERVER must be satchel or baseline');
  const chosen = wanted.length ? selectScenarios(all, wanted) : all;

  const profileDir = join(TMP_DIR, 'profiles');
  mkdirSync(profileDir, { recursive: true });
  const work = makeWorkDir();
  onInterrupt(() => removeWorkDir(work));
  try {
    // Seed with an unprofiled server so the profiles hold only the scenario's load.
    const seeder = await start(work);
    await sanityCheck(seeder);
    const ctx = { viewIds: {} };
    for (const col of collectionsOf(chosen)) {
      const seeded = await seed(seeder, col, seedRows, connections);
      ctx.viewIds[col.name] = { [target]: await middleId(seeder, col, seeded.rows) };
      console.log(`seeded ${seeded.rows} ${col.name}`);
    }
    await stop(seeder.handle);

    for (const scenario of chosen) {
      const name = `${target}-${scenario.name}.cpuprofile`;
      rmSync(join(profileDir, name), { force: true });
      const server = await start(work, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${name}`]);
      const spec = scenario.request(server, ctx);
      const load = (s) =>
        runLoad({ ...spec, url: server.baseUrl + spec.path, seconds: s, connections, rate: rate || undefined });
      const warm = warmupSeconds ? await load(warmupSeconds) : { totalRequests: 0 };
      const r = await load(seconds);
      // The profile covers the warm-up too (and start-up, which is small): per-request figures count both loads.
      const requests = warm.totalRequests + r.totalRequests;
      // SIGTERM: both servers close and call process.exit(0), which is when V8 writes the profile.
      const exit = await stop(server.handle, 15_000);
      if (!readdirSync(profileDir).includes(name)) throw new Error(`no profile written (exit ${JSON.stringify(exit)})`);
      console.log(
        `\n=== ${target} ${scenario.name}: ${r.reqPerSec.toFixed(0)} req/s, p99 ${r.latencyP99Ms} ms, non-2xx ${r.non2xx} ===`,
      );
      console.log(`profile: ${join(profileDir, name)} (${requests} requests: warm-up + measured)`);
      const summary = summarizeProfile(JSON.parse(readFileSync(join(profileDir, name), 'utf8')));
      console.log(formatSummary(summary, top, requests));
    }
  } finally {
    await killAll();
    removeWorkDir(work);
  }
}

main().catch(async (err) => {
  console.error('[profile] failed:', err?.stack ?? err);
  await killAll();
  process.exit(1);
});
