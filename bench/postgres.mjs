// Owns the PostgreSQL scenario (issue #18, "Speed"): articles list / view / create on a throwaway PostgreSQL cluster
// with durable settings, for the bare Hono + pg server (bench/pg-baseline-server.mjs), Satchel on PostgreSQL with one
// process, Satchel on PostgreSQL with two processes on the same database, and Satchel on SQLite as a reference, in
// alternating rounds. Targets: one process >= 0.8x the bare server; two processes >= 1.6x one on reads.
// Standalone: node bench/postgres.mjs (after npm run build) writes its section of bench/RESULTS.md.
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { register } from 'tsx/esm/api';
import { installCleanup, onInterrupt, stop } from './children.mjs';
import { startCpuWatch, waitForQuiet } from './cpu-noise.mjs';
import { makeWorkDir, removeWorkDir, ROOT_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { RESULTS_FILE } from './report.mjs';
import { BENCH_COLLECTIONS, LIST_PER_PAGE, middleId, sanityCheck, seed } from './scenarios.mjs';
import { writeSection } from './sections.mjs';
import { assertBuilt, SATCHEL_ENV, startPgBaseline, startSatchel } from './servers.mjs';
import { envNumber } from './env.mjs';

const SETTINGS = {
  seconds: envNumber('BENCH_SECONDS', 5, { min: 1, max: 600 }),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2, { min: 0, max: 60 }),
  rounds: envNumber('BENCH_ROUNDS', 3, { min: 1, max: 10 }),
  connections: envNumber('BENCH_CONNECTIONS', 50, { min: 2, max: 1000 }),
  seedRows: envNumber('BENCH_SEED_ROWS', 10_000, { min: 100, max: 1_000_000 }),
  quietWaitSeconds: envNumber('BENCH_QUIET_WAIT_SECONDS', 20, { min: 0, max: 600 }),
};
const TARGETS = { vsBaseline: 0.8, twoVsOne: 1.6 };
/** Cores used by other processes during a measured run above which a row is marked noisy (as in report.mjs). */
const NOISY_CORES = 0.15;

const log = (...args) => console.log('[postgres]', ...args);
const median = (xs) => {
  const s = [...xs].filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

const ARTICLES = BENCH_COLLECTIONS.find((c) => c.name === 'articles');

/** The three scenarios, reads first so they see the seeded row count on every database; `path(server, id)`. */
const SCENARIOS = [
  { name: 'articles-list', op: 'list', request: (s) => ({ path: s.routes.list('articles', 1, LIST_PER_PAGE) }) },
  { name: 'articles-view', op: 'view', request: (s, id) => ({ path: s.routes.view('articles', id) }) },
  {
    name: 'articles-create',
    op: 'create',
    request: (s) => ({ path: s.routes.create('articles'), method: 'POST', body: ARTICLES.createBody }),
  },
];

let helpers;
/** test/helpers/postgres-cluster.ts, loaded once through tsx (scoped to this import, nothing else is compiled). */
function clusterHelpers() {
  helpers ??= register({ namespace: 'satchel-bench' }).import('../test/helpers/postgres-cluster.ts', import.meta.url);
  return helpers;
}

/** Whether PostgreSQL's binaries are installed (run.mjs skips this scenario without them). */
export async function postgresInstalled() {
  return Boolean((await clusterHelpers()).postgresBinDir());
}

/** `CREATE DATABASE name` on the cluster; resolves with its URL. */
async function createDatabase(clusterUrl, name) {
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(clusterUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Rows in a database's articles table. */
async function articleRows(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query('SELECT COUNT(*) AS n FROM articles')).rows[0].n);
  } finally {
    await client.end();
  }
}

/** The cluster's version string, for the report. */
async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await client.end();
  }
}

/** Creates Satchel's tables (its DDL, insertion-order column and index) in `url` by booting Satchel once on it. */
async function createSatchelTables(url, dataDir, collectionsDir) {
  const { createApp } = await import(join(ROOT_DIR, 'dist', 'index.js'));
  const app = await createApp({ dataDir, collectionsDir, db: url, rateLimit: false });
  await app.close();
}

/** The parent pid of a process, from /proc/<pid>/stat; null when it is gone. */
function parentPid(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The postmaster of the cluster listening on `port` (its command line carries `-c port=<port>`). */
function findPostmaster(port) {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (argv[0].endsWith('/postgres') && argv.includes(`port=${port}`)) return Number(entry);
    } catch {
      // gone, or not ours to read
    }
  }
  return null;
}

/** The postmaster and every process it started (backends, WAL writer, checkpointer…) right now. */
function postgresPids(postmaster) {
  if (!postmaster) return [];
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (/^\d+$/.test(entry) && parentPid(Number(entry)) === postmaster) pids.push(Number(entry));
  }
  return pids;
}

/**
 * One measured run of a target: one server driven with all connections, or several servers driven at the same
 * time (connections split between them) by one autocannon run each, their req/s summed. CPU per server process,
 * for PostgreSQL (all its processes), the runner (autocannon) and everything else.
 */
async function measureTarget(target, scenario, ctx) {
  const share = (i) =>
    Math.floor(SETTINGS.connections / target.servers.length) + (i < SETTINGS.connections % target.servers.length);
  const load = (seconds) =>
    Promise.all(
      target.servers.map((s, i) => {
        const spec = scenario.request(s, ctx.viewIds[target.database]);
        return runLoad({ ...spec, url: s.baseUrl + spec.path, seconds, connections: share(i) });
      }),
    );
  const ourPids = () => [...ctx.serverPids, ...postgresPids(ctx.postmaster)];
  if (SETTINGS.quietWaitSeconds > 0) {
    const quiet = await waitForQuiet(ourPids(), { maxSeconds: SETTINGS.quietWaitSeconds });
    if (!quiet.quiet)
      log(`machine still busy (${quiet.foreignCores.toFixed(2)} cores used by other processes); measuring anyway`);
  }
  const warmup = SETTINGS.warmupSeconds > 0 ? await load(SETTINGS.warmupSeconds) : [];
  // PostgreSQL's processes are listed after the warm-up, when the pools' connections (backends) are open.
  const pgPids = postgresPids(ctx.postmaster);
  const watch = startCpuWatch([...ctx.serverPids, ...pgPids]);
  const parts = await load(SETTINGS.seconds);
  const cpu = watch.stop();
  const cores = (pid) => Math.max(0, cpu.coresByPid?.[pid] ?? NaN);
  const sum = (k) => parts.reduce((a, r) => a + r[k], 0);
  const r = {
    reqPerSec: sum('reqPerSec'),
    perServerReqPerSec: parts.map((p) => p.reqPerSec),
    ok2xx: sum('ok2xx'),
    /** Answered during the warm-up too: every answered create is looked for in the table at the end. */
    answeredWithWarmup: sum('ok2xx') + warmup.reduce((a, p) => a + p.ok2xx, 0),
    non2xx: sum('non2xx'),
    errors: sum('errors'),
    timeouts: sum('timeouts'),
    latencyP99Ms: Math.max(...parts.map((p) => p.latencyP99Ms)),
    serverCores: target.servers.map((s) => cores(s.pid)),
    postgresCores: cpu.coresByPid ? pgPids.reduce((a, pid) => a + cores(pid), 0) : NaN,
    runnerCores: cores(process.pid),
    foreignCores: cpu.foreignCores ?? NaN,
  };
  const flags =
    r.non2xx || r.errors || r.timeouts ? ` (non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts})` : '';
  log(
    `${scenario.name.padEnd(15)} ${target.label.padEnd(22)} ${r.reqPerSec.toFixed(0).padStart(6)} req/s  p99 ${r.latencyP99Ms} ms  ` +
      `cores: Satchel/server ${r.serverCores.map((c) => c.toFixed(2)).join('+')}, PostgreSQL ${r.postgresCores.toFixed(2)}, ` +
      `runner ${r.runnerCores.toFixed(2)}, other ${r.foreignCores.toFixed(2)}${flags}`,
  );
  return r;
}

/** The first error lines a server printed (to report what failed under load, word for word). */
function errorLines(server) {
  return server.handle
    .output()
    .split('\n')
    .filter((l) => /error|fail|busy|deadlock|timeout/i.test(l))
    .slice(0, 5);
}

export async function runPostgresBench() {
  assertBuilt();
  const { postgresBinDir, startPostgresCluster } = await clusterHelpers();
  if (!postgresBinDir()) throw new Error('PostgreSQL is not installed (no initdb): apt-get install postgresql');
  const work = makeWorkDir();
  const cluster = await startPostgresCluster({ durable: true });
  // Ctrl-C: the servers are stopped by children.mjs, then the cluster and the scratch dir go too.
  onInterrupt(() => {
    cluster.stop();
    removeWorkDir(work);
  });
  const started = [];
  const start = async (launch, label) => {
    const server = { ...(await launch()), label };
    started.push(server);
    return server;
  };
  try {
    const version = await serverVersion(cluster.url);
    const baselineUrl = await createDatabase(cluster.url, 'bench_baseline');
    const satchelUrl = await createDatabase(cluster.url, 'bench_satchel');
    await createSatchelTables(baselineUrl, join(work.dir, 'pg-baseline-boot'), work.collectionsDir);
    log(`PostgreSQL ${version} on port ${cluster.port}; Satchel's tables created in bench_baseline`);

    const baseline = await start(() => startPgBaseline({ url: baselineUrl }), 'bare pg server');
    const pgA = await start(
      () =>
        startSatchel({ dataDir: join(work.dir, 'satchel-pg-a'), collectionsDir: work.collectionsDir, db: satchelUrl }),
      'Satchel PG, process A',
    );
    // Process B runs only while two processes are measured: a process that hears of another sends it every record
    // change (NOTIFY), which one process alone does not, so an idle B would tax the one-process runs.
    const startB = () =>
      start(
        () =>
          startSatchel({
            dataDir: join(work.dir, 'satchel-pg-b'),
            collectionsDir: work.collectionsDir,
            db: satchelUrl,
          }),
        'Satchel PG, process B',
      );
    const stopB = async (server) => {
      await stop(server.handle);
      started.splice(started.indexOf(server), 1);
    };
    let pgB = await startB();
    const sqlite = await start(
      () => startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir }),
      'Satchel SQLite',
    );
    const postmaster = findPostmaster(cluster.port);
    if (!postmaster) log('PostgreSQL postmaster not found in /proc: its CPU is counted as other processes');

    const notes = [];
    const headers = { baseline: await sanityCheck(baseline), satchel: await sanityCheck(pgA) };
    await sanityCheck(pgB);
    await stopB(pgB);
    await sanityCheck(sqlite);
    if (headers.baseline.join() !== headers.satchel.join()) {
      notes.push(
        `Response headers differ: the bare pg server sends ${headers.baseline.join(', ')}; Satchel sends ${headers.satchel.join(', ')}.`,
      );
    }

    // The same rows in each database, through each server's own create route (A seeds the database A and B share).
    const databases = { baseline: baselineUrl, satchelPg: satchelUrl };
    const seeded = {};
    const viewIds = {};
    for (const [database, server] of [
      ['baseline', baseline],
      ['satchelPg', pgA],
      ['sqlite', sqlite],
    ]) {
      const r = await seed(server, ARTICLES, SETTINGS.seedRows, SETTINGS.connections).catch((err) => {
        // What the server printed says why (a store error, a lock timeout…): keep it with the counts.
        throw new Error(`${err.message}\n${errorLines(server).join('\n')}`, { cause: err });
      });
      seeded[database] = r.rows;
      viewIds[database] = await middleId(server, ARTICLES, r.rows);
      log(`seeded ${server.label}: ${r.created} creates at ~${r.reqPerSec.toFixed(0)} req/s, ${r.rows} rows now`);
    }

    const targets = [
      { key: 'baseline', label: 'bare pg server', database: 'baseline', servers: [baseline] },
      { key: 'pg1', label: 'Satchel PG, 1 process', database: 'satchelPg', servers: [pgA] },
      {
        key: 'pg2',
        label: 'Satchel PG, 2 processes',
        database: 'satchelPg',
        setUp: async () => [pgA, (pgB = await startB())],
        tearDown: () => stopB(pgB),
      },
      { key: 'sqlite', label: 'Satchel SQLite', database: 'sqlite', servers: [sqlite] },
    ];
    const ctx = { viewIds, postmaster };
    const created = { baseline: 0, satchelPg: 0 };
    const results = [];
    for (const scenario of SCENARIOS) {
      const runs = Object.fromEntries(targets.map((t) => [t.key, []]));
      for (let round = 0; round < SETTINGS.rounds; round++) {
        // Each round measures all four back to back, starting one further along each time, so drift on the
        // machine falls on all of them; the ratios are medians of the rounds' ratios.
        for (let i = 0; i < targets.length; i++) {
          const target = targets[(i + round) % targets.length];
          const servers = target.setUp ? await target.setUp() : target.servers;
          let r;
          try {
            r = await measureTarget({ ...target, servers }, scenario, {
              ...ctx,
              serverPids: started.map((s) => s.pid),
            });
          } finally {
            await target.tearDown?.();
          }
          runs[target.key].push(r);
          if (scenario.op === 'create' && target.database in created) created[target.database] += r.answeredWithWarmup;
        }
      }
      const ratio = (a, b) => median(runs[a].map((r, i) => r.reqPerSec / runs[b][i].reqPerSec));
      results.push({
        name: scenario.name,
        op: scenario.op,
        runs,
        ratios: {
          pg1VsBaseline: ratio('pg1', 'baseline'),
          pg2VsPg1: ratio('pg2', 'pg1'),
          pg2VsBaseline: ratio('pg2', 'baseline'),
          sqliteVsPg1: ratio('sqlite', 'pg1'),
        },
      });
      const x = results.at(-1).ratios;
      log(
        `${scenario.name}: 1 process ÷ bare ${x.pg1VsBaseline.toFixed(2)}, 2 ÷ 1 ${x.pg2VsPg1.toFixed(2)}, ` +
          `SQLite ÷ PG 1 process ${x.sqliteVsPg1.toFixed(2)}`,
      );
    }

    const failures = results.flatMap((s) =>
      Object.entries(s.runs).flatMap(([key, list]) =>
        list.filter((r) => r.non2xx || r.errors || r.timeouts).map(() => `${s.name} ${key}`),
      ),
    );
    const errorOutput = failures.length ? started.flatMap((s) => errorLines(s).map((l) => `${s.label}: ${l}`)) : [];
    for (const server of started) await stop(server.handle);
    // Every answered create is stored (sanity-check creates and seeding included on both sides).
    const stored = {
      baseline: await articleRows(databases.baseline),
      satchelPg: await articleRows(databases.satchelPg),
    };
    const answered = {
      baseline: seeded.baseline + created.baseline,
      satchelPg: seeded.satchelPg + created.satchelPg,
    };
    return {
      date: new Date().toISOString(),
      settings: SETTINGS,
      machine: {
        cpuModel: os.cpus()[0]?.model?.trim() ?? 'unknown',
        cpuCount: os.cpus().length,
        node: process.version,
      },
      postgresVersion: version,
      cpuMeasured: Boolean(postmaster),
      seeded,
      results,
      failures,
      errorOutput,
      stored,
      answered,
      notes,
    };
  } finally {
    for (const server of started) await stop(server.handle);
    cluster.stop();
    removeWorkDir(work);
  }
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const pass = (ok) => (ok ? 'pass' : '**FAIL**');
const LABELS = {
  baseline: 'bare pg server',
  pg1: 'Satchel PG, 1 process',
  pg2: 'Satchel PG, 2 processes',
  sqlite: 'Satchel SQLite',
};

export function postgresMarkdown(r) {
  const s = r.settings;
  const checks = [];
  for (const x of r.results) {
    checks.push(
      `| ${x.name}: Satchel on PostgreSQL, 1 process ÷ bare pg server | ≥ ${TARGETS.vsBaseline} | ${fmt(x.ratios.pg1VsBaseline)} | ${pass(x.ratios.pg1VsBaseline >= TARGETS.vsBaseline)} |`,
    );
  }
  for (const x of r.results.filter((y) => y.op !== 'create')) {
    checks.push(
      `| ${x.name}: 2 Satchel processes ÷ 1 (same database) | ≥ ${TARGETS.twoVsOne} | ${fmt(x.ratios.pg2VsPg1)} | ${pass(x.ratios.pg2VsPg1 >= TARGETS.twoVsOne)} |`,
    );
  }
  checks.push(
    `| failed measured runs (any non-2xx, socket error or timeout) | 0 | ${r.failures.length} | ${pass(r.failures.length === 0)} |`,
    ...Object.entries(r.stored).map(
      ([db, rows]) =>
        `| articles rows stored ≥ creates answered (warm-ups included), ${db === 'baseline' ? 'bare pg server' : 'Satchel on PostgreSQL'} | ≥ 1 | ${rows} / ${r.answered[db]} | ${pass(rows >= r.answered[db])} |`,
    ),
  );

  const rows = [];
  for (const x of r.results) {
    for (const [key, list] of Object.entries(x.runs)) {
      const med = (f) => median(list.map(f));
      const satchelCores = list[0].serverCores.map((_, i) => fmt(med((q) => q.serverCores[i])));
      const busy = med((q) => q.serverCores.reduce((a, c) => a + c, 0) + q.postgresCores + q.runnerCores);
      const noisy = list.some((q) => q.foreignCores > NOISY_CORES) ? ' (noisy)' : '';
      const split =
        key === 'pg2'
          ? ` (${list.map((q) => q.perServerReqPerSec.map((v) => v.toFixed(0)).join(' + ')).join('; ')})`
          : '';
      rows.push(
        `| ${x.name} | ${LABELS[key]} | ${fmt(
          med((q) => q.reqPerSec),
          0,
        )}${split} | ${fmt(Math.max(...list.map((q) => q.latencyP99Ms)), 0)} | ` +
          `${satchelCores.join(' + ')} | ${fmt(med((q) => q.postgresCores))} | ${fmt(med((q) => q.runnerCores))} | ${fmt(busy)} | ${fmt(med((q) => q.foreignCores))}${noisy} |`,
      );
    }
  }

  const cores = r.machine.cpuCount;
  const reads = r.results.filter((x) => x.op !== 'create');
  const medianOf = (list, f) => median(list.map(f));
  const readBusy = reads.map((x) => medianOf(x.runs.pg1, (q) => q.serverCores[0] + q.postgresCores + q.runnerCores));
  const readOther = reads.map((x) => medianOf(x.runs.pg1, (q) => q.foreignCores));
  const saturated = readBusy.length > 0 && Math.min(...readBusy) >= cores * 0.85;
  const kept = `with one Satchel process the reads (${reads.map((x) => x.name).join(', ')}) kept ${readBusy
    .map((b) => fmt(b))
    .join(' and ')} of its ${cores} cores busy (Satchel + PostgreSQL + runner; other processes used ${readOther
    .map((b) => fmt(b))
    .join(' and ')})`;
  let scaling;
  if (saturated) {
    scaling =
      `**This machine has ${cores} cores, shared by PostgreSQL, the Satchel process(es) and autocannon**: ${kept}. ` +
      'A second process can only split those same cores, so two processes cannot show scaling here; the 2 ÷ 1 ' +
      'target can only be judged on a machine with a core to spare per Satchel process, besides PostgreSQL and the ' +
      'load generator.';
  } else if (cores <= 2) {
    scaling =
      `**This machine has ${cores} cores, shared by PostgreSQL, the Satchel process(es) and autocannon**: ${kept}. ` +
      'Two Satchel processes, PostgreSQL and the load generator compete for the same two cores, so the 2 ÷ 1 ratio ' +
      'here says little about scaling on a machine with a core per process; it is reported, not relied on.';
  } else {
    scaling = `The machine has ${cores} cores: ${kept}.`;
  }

  return [
    '## PostgreSQL',
    '',
    `Written by \`node bench/postgres.mjs\` (${r.date.slice(0, 10)}; a full \`bench/run.mjs\` keeps it). ` +
      `PostgreSQL ${r.postgresVersion}, a throwaway cluster on 127.0.0.1 with durable settings ` +
      '(fsync, synchronous_commit and full_page_writes on, as the defaults are), started by ' +
      '`test/helpers/postgres-cluster.ts`. Four targets, each its own process(es) on 127.0.0.1:',
    '',
    '- **bare pg server**: `bench/pg-baseline-server.mjs`, Hono + @hono/node-server + valibot + one `pg` Pool of 10 ' +
      'connections (as many as Satchel opens) with named statements; same routes, checks, JSON shapes and headers as ' +
      "the SQLite baseline. Its tables are Satchel's own (created by booting Satchel once on its database); pages " +
      'are ordered by the insertion-order column as Satchel orders them; a create is one INSERT, a page its SELECT ' +
      'and COUNT(*) sent together.',
    '- **Satchel PG, 1 process**: `satchel serve --db=postgres://…` (process A), alone on its database (process B runs only for the two-process runs).',
    '- **Satchel PG, 2 processes**: A and B, each `satchel serve` with the same `--db` (its own `--dir`), driven at ' +
      `the same time by two autocannon runs with half the connections each (${Math.ceil(s.connections / 2)} + ` +
      `${Math.floor(s.connections / 2)}); their req/s are summed (each process's share in brackets, per round).`,
    '- **Satchel SQLite**: `satchel serve` on its data dir, as a reference.',
    '',
    `Satchel runs with ${Object.entries(SATCHEL_ENV)
      .map(([k, v]) => `\`${k}=${v}\``)
      .join(', ')}. ${s.seedRows.toLocaleString('en-US')} articles seeded into each database through each ` +
      `server's create route (rows: bare ${r.seeded.baseline}, Satchel PG ${r.seeded.satchelPg}, SQLite ` +
      `${r.seeded.sqlite}). ${s.connections} connections in all, ${s.rounds} round(s) of ${s.seconds} s per target ` +
      `and scenario after ${s.warmupSeconds} s of warm-up, the four targets' order rotating each round; ratios are ` +
      "medians of the rounds' ratios. Machine: " +
      `${r.machine.cpuModel} × ${r.machine.cpuCount}, Node ${r.machine.node}.`,
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    ...checks,
    '',
    scaling,
    '',
    'req/s and CPU, medians of the rounds (cores = CPU time ÷ wall time during the measured run; PostgreSQL is the ' +
      'postmaster and every process it started; the runner is autocannon; busy = Satchel/server + PostgreSQL + runner; ' +
      `other = everything else on the machine${r.cpuMeasured ? '' : "; PostgreSQL's processes were not found, so they count as other"}):`,
    '',
    '| Scenario | Target | req/s | p99 ms (worst round) | server cores | PostgreSQL cores | runner cores | busy cores | other cores |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `- SQLite ÷ PostgreSQL (1 process), for reference: ${r.results.map((x) => `${x.name} ${fmt(x.ratios.sqliteVsPg1)}`).join(', ')}; ` +
      `2 processes ÷ bare pg server: ${r.results.map((x) => `${x.name} ${fmt(x.ratios.pg2VsBaseline)}`).join(', ')}.`,
    ...(r.failures.length
      ? [`- Failed runs: ${r.failures.join(', ')}.`, ...r.errorOutput.map((l) => `  - \`${l.slice(0, 300)}\``)]
      : []),
    ...r.notes.map((n) => `- ${n}`),
  ].join('\n');
}

export function writePostgresSection(result) {
  writeSection(
    RESULTS_FILE,
    'postgres',
    postgresMarkdown(result),
    'written by bench/postgres.mjs; a full bench/run.mjs keeps it',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installCleanup();
  log(`settings ${JSON.stringify(SETTINGS)}`);
  writePostgresSection(await runPostgresBench());
  log(`wrote ${RESULTS_FILE}`);
  process.exit(0);
}
