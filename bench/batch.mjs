// Owns the batch scenario: 100 record creates sent as one POST /api/batch (one transaction) against the same 100
// creates sent one request each, on one Satchel server, as records written per second. Target: the batch writes
// >= 5x more records per second. Standalone: node bench/batch.mjs (after npm run build) writes its section.
import { join } from 'node:path';
import { httpJson, installCleanup, stop } from './children.mjs';
import { makeWorkDir, removeWorkDir, ROOT_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { RESULTS_FILE } from './report.mjs';
import { writeSection } from './sections.mjs';
import { assertBuilt, startSatchel } from './servers.mjs';
import Database from './sqlite.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Records per batch request. */
const BATCH_SIZE = 100;
/** The same for both workloads: enough to keep the server busy, few enough that 100-create batches do not queue long. */
const CONNECTIONS = 10;
const TARGET = 5;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The create body of the headline collection (fixtures.mjs articles), `tag` making its title and e-mail unique. */
const article = (tag) => ({
  title: `Batch article ${tag}`,
  body: 'A short paragraph of prose, as a form would send it: enough words to be a real body, nothing more. '.repeat(4),
  email: `reader-${tag}@example.com`,
  status: 'published',
});

/** Turns batch requests on (off by default, as in PocketBase) with room for one batch of BATCH_SIZE. */
async function enableBatch(dataDir, collectionsDir) {
  const { createApp } = await import(join(ROOT_DIR, 'dist', 'index.js'));
  const app = await createApp({ dataDir, collectionsDir, rateLimit: false });
  await app.settings.update({ batch: { enabled: true, maxRequests: BATCH_SIZE, timeout: 30 } });
  await app.close();
}

function articleRows(dataDir) {
  const db = new Database(join(dataDir, 'data.db'), { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) AS n FROM articles').get().n;
  } finally {
    db.close();
  }
}

export async function runBatchBench() {
  assertBuilt();
  const work = makeWorkDir();
  await enableBatch(work.satchelDataDir, work.collectionsDir);
  const server = await startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir });
  try {
    const create = `${server.baseUrl}/api/collections/articles/records`;
    const batchBody = {
      requests: Array.from({ length: BATCH_SIZE }, (_, i) => ({
        method: 'POST',
        url: '/api/collections/articles/records',
        body: article(`[<id>]-${i}`),
      })),
    };
    // Pre-flight: one batch answers 100 creates.
    const check = await httpJson(server.port, 'POST', '/api/batch', {
      requests: batchBody.requests.map((r, i) => ({ ...r, body: article(`check-${i}`) })),
    });
    if (check.status !== 200 || check.json.length !== BATCH_SIZE) {
      throw new Error(`batch pre-flight: ${check.status} ${JSON.stringify(check.json).slice(0, 300)}`);
    }
    const workloads = {
      single: { url: create, method: 'POST', body: JSON.stringify(article('[<id>]')), perRequest: 1 },
      batch: {
        url: `${server.baseUrl}/api/batch`,
        method: 'POST',
        body: JSON.stringify(batchBody),
        perRequest: BATCH_SIZE,
      },
    };
    const rounds = [];
    let written = BATCH_SIZE;
    let failures = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so drift on the machine falls on both.
      const order = round % 2 ? ['batch', 'single'] : ['single', 'batch'];
      const result = {};
      for (const name of order) {
        const { perRequest, ...load } = workloads[name];
        const r = await runLoad({ ...load, seconds: SECONDS, connections: CONNECTIONS });
        failures += r.non2xx + r.errors + r.timeouts;
        written += r.ok2xx * perRequest;
        result[name] = {
          reqPerSec: r.reqPerSec,
          recordsPerSec: r.reqPerSec * perRequest,
          p99: r.latencyP99Ms,
        };
      }
      rounds.push(result);
    }
    await stop(server.handle);
    const stored = articleRows(work.satchelDataDir);
    const ratio = median(rounds.map((r) => r.batch.recordsPerSec / r.single.recordsPerSec));
    const result = { ratio, rounds, failures, written, stored };
    console.log(
      `[batch] records/s: batch ${median(rounds.map((r) => r.batch.recordsPerSec)).toFixed(0)} vs single ` +
        `${median(rounds.map((r) => r.single.recordsPerSec)).toFixed(0)} = ${ratio.toFixed(2)}x (target >= ${TARGET}x); ` +
        `${stored} rows stored for ${written} answered creates; ${failures} failed requests`,
    );
    return result;
  } finally {
    await stop(server.handle);
    removeWorkDir(work);
  }
}

const pass = (ok) => (ok ? 'pass' : '**FAIL**');

export function batchMarkdown(r) {
  const perRound = r.rounds
    .map(
      (x) =>
        `batch ${x.batch.recordsPerSec.toFixed(0)} (${x.batch.reqPerSec.toFixed(1)} req/s, p99 ${x.batch.p99} ms) vs ` +
        `single ${x.single.recordsPerSec.toFixed(0)} (p99 ${x.single.p99} ms)`,
    )
    .join('; ');
  return [
    '## Batch',
    '',
    `Written by \`node bench/batch.mjs\` (${new Date().toISOString().slice(0, 10)}; a full \`bench/run.mjs\` keeps it). ` +
      'One Satchel build as a child process on 127.0.0.1, batch requests ' +
      `on (\`batch.maxRequests: ${BATCH_SIZE}\`), creates into the headline \`articles\` collection: ` +
      `${BATCH_SIZE} creates in one \`POST /api/batch\` (one transaction) against single \`POST …/records\`; ` +
      `autocannon with ${CONNECTIONS} connections for both, ${r.rounds.length} alternating rounds of ${SECONDS} s. ` +
      'Records per second = answered requests per second × creates per request.',
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    `| records/s in batches of ${BATCH_SIZE} ÷ records/s one per request (median of rounds) | ≥ ${TARGET} | ${r.ratio.toFixed(2)} | ${pass(r.ratio >= TARGET)} |`,
    `| failed requests (non-2xx, errors, timeouts) | 0 | ${r.failures} | ${pass(r.failures === 0)} |`,
    `| rows stored ≥ creates answered (in-flight ones at the end are stored too) | ≥ 1 | ${r.stored} / ${r.written} | ${pass(r.stored >= r.written)} |`,
    '',
    `- Per round, records/s: ${perRound}.`,
  ].join('\n');
}

export function writeBatchSection(result) {
  writeSection(
    RESULTS_FILE,
    'batch',
    batchMarkdown(result),
    'written by bench/batch.mjs; a full bench/run.mjs keeps it',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installCleanup();
  writeBatchSection(await runBatchBench());
  console.log(`[batch] wrote ${RESULTS_FILE}`);
  process.exit(0);
}
