// Owns the request-log scenario: the same Satchel build with request logging on (the default) and off
// (`logs.maxDays: 0`), on the cheapest routes (view, list, create), where a log line costs the most in relation.
// Target: logging on >= 0.95x off. Standalone: node bench/logs.mjs (after npm run build) writes its section.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { httpJson, installCleanup, stop } from './children.mjs';
import { makeWorkDir, removeWorkDir, ROOT_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { RESULTS_FILE } from './report.mjs';
import { writeSection } from './sections.mjs';
import { assertBuilt, startSatchel } from './servers.mjs';
import Database from './sqlite.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// At least 5 rounds: one round's ratio moves by ±10% on a 2-core machine, too much to judge a 5% target by three.
const ROUNDS = Math.max(5, Number(process.env.BENCH_ROUNDS ?? 5));
const TARGET = 0.95;
/** Unmeasured load per server before the rounds: the first, view, also warms what every route shares. */
const WARMUP_SECONDS = { view: 8, list: 3, create: 3 };

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Stores `maxDays: 0` in a data dir's settings, the way a superuser turns request logs off. */
async function loggingOff(dataDir, collectionsDir) {
  const { createApp } = await import(join(ROOT_DIR, 'dist', 'index.js'));
  const app = await createApp({ dataDir, collectionsDir, rateLimit: false });
  await app.settings.update({ logs: { maxDays: 0 } });
  await app.close();
}

/** Log rows in a stopped server's auxiliary.db. */
function loggedRows(dataDir) {
  // The log store opens with the first line it keeps: a server that logged nothing has no file.
  if (!existsSync(join(dataDir, 'auxiliary.db'))) return 0;
  const db = new Database(join(dataDir, 'auxiliary.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) AS n FROM _logs').get().n;
  } finally {
    db.close();
  }
}

export async function runLogsBench() {
  assertBuilt();
  const work = makeWorkDir();
  const offDir = join(work.dir, 'satchel-data-nolog');
  await loggingOff(offDir, work.collectionsDir);
  const servers = {
    on: await startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir }),
    off: await startSatchel({ dataDir: offDir, collectionsDir: work.collectionsDir }),
  };
  try {
    const ids = {};
    for (const [name, s] of Object.entries(servers)) {
      const { json } = await httpJson(s.port, 'POST', '/api/collections/posts/records', {
        title: 'bench',
        body: 'x'.repeat(200),
        views: 1,
      });
      ids[name] = json.id;
    }
    const workloads = {
      view: (s, name) => ({ url: `${s.baseUrl}/api/collections/posts/records/${ids[name]}` }),
      list: (s) => ({ url: `${s.baseUrl}/api/collections/posts/records?perPage=20` }),
      create: (s) => ({
        url: `${s.baseUrl}/api/collections/posts/records`,
        method: 'POST',
        body: JSON.stringify({ title: 'load [<id>]', body: 'y'.repeat(200), views: 2 }),
      }),
    };
    const rounds = Object.fromEntries(Object.keys(workloads).map((w) => [w, []]));
    let requestsOn = 0;
    // A server just started answers slower for many seconds (its code is compiled as it runs, its heap grows to
    // the load): each server runs every workload once, unmeasured, before the measured rounds.
    for (const [workload, make] of Object.entries(workloads)) {
      for (const name of ['on', 'off']) {
        const warm = await runLoad({
          ...make(servers[name], name),
          seconds: WARMUP_SECONDS[workload],
          connections: 50,
        });
        if (name === 'on') requestsOn += warm.totalRequests;
      }
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const [workload, make] of Object.entries(workloads)) {
        // Alternate which server goes first, so drift on the machine falls on both.
        const order = round % 2 ? ['off', 'on'] : ['on', 'off'];
        const result = {};
        for (const name of order) {
          result[name] = await runLoad({ ...make(servers[name], name), seconds: SECONDS, connections: 50 });
          if (name === 'on') requestsOn += result[name].totalRequests;
        }
        rounds[workload].push({ on: result.on.reqPerSec, off: result.off.reqPerSec });
      }
    }
    await stop(servers.on.handle);
    await stop(servers.off.handle);
    const logged = loggedRows(work.satchelDataDir);
    const ratios = Object.fromEntries(
      Object.entries(rounds).map(([w, list]) => [w, median(list.map((r) => r.on / r.off))]),
    );
    const result = { ratios, rounds, requestsOn, logged, loggedOff: loggedRows(offDir) };
    console.log(
      `[logs] on/off: ${Object.entries(ratios)
        .map(([w, r]) => `${w} ${r.toFixed(2)}x`)
        .join(', ')}; ${logged} of ${requestsOn} requests logged`,
    );
    return result;
  } finally {
    await stop(servers.on.handle);
    await stop(servers.off.handle);
    removeWorkDir(work);
  }
}

const pass = (ok) => (ok ? 'pass' : '**FAIL**');

export function logsMarkdown(r) {
  const rows = Object.entries(r.ratios).map(
    ([w, ratio]) =>
      `| ${w}: req/s with request logs ÷ without | ≥ ${TARGET} | ${ratio.toFixed(2)} | ${pass(ratio >= TARGET)} |`,
  );
  const perRound = Object.entries(r.rounds)
    .map(([w, list]) => `${w} ${list.map((x) => `${x.on.toFixed(0)} vs ${x.off.toFixed(0)}`).join('; ')}`)
    .join('; ');
  return [
    '## Request logs',
    '',
    `Written by \`node bench/logs.mjs\` (${new Date().toISOString().slice(0, 10)}; a full \`bench/run.mjs\` keeps it). The same ` +
      'Satchel build twice, as child processes on 127.0.0.1: request logs on (the default, batched into ' +
      '`pb_data/auxiliary.db`) and off (`logs.maxDays: 0`); autocannon with 50 connections, ' +
      `${r.rounds.view.length} alternating rounds of ${SECONDS} s per route.`,
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    ...rows,
    `| requests answered by the logging server ÷ log rows stored after a graceful stop | 1 (none lost) | ${r.logged} / ${r.requestsOn + 2} | ${pass(r.logged >= r.requestsOn)} |`,
    `| log rows stored with logging off | 0 | ${r.loggedOff} | ${pass(r.loggedOff === 0)} |`,
    '',
    `- Per round (on vs off req/s): ${perRound}.`,
  ].join('\n');
}

export function writeLogsSection(result) {
  writeSection(RESULTS_FILE, 'logs', logsMarkdown(result), 'written by bench/logs.mjs; a full bench/run.mjs keeps it');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installCleanup();
  writeLogsSection(await runLogsBench());
  console.log(`[logs] wrote ${RESULTS_FILE}`);
  process.exit(0);
}
