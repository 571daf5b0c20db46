// Owns the filter scenario: a list with a filter and a sort over 100k records, on an indexed and on an unindexed
// column, through Satchel's filter language over HTTP, as a ratio against a bare server running the same SQL.
// Standalone: node bench/filter.mjs (after npm run build); run.mjs also calls runFilterBench().
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from './sqlite.mjs';
import { freePort, HOST, spawnNode, stop, waitForOk } from './children.mjs';
import { BENCH_DIR, ROOT_DIR, TMP_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';

const ROWS = Number(process.env.BENCH_FILTER_ROWS ?? 100_000);
const ITEMS = {
  name: 'items',
  listRule: '',
  viewRule: '',
  fields: [
    { name: 'title', type: 'text' },
    { name: 'views', type: 'number' },
    { name: 'score', type: 'number' },
  ],
  indexes: ['CREATE INDEX idx_items_views ON items (views)'],
};

/** Boots Satchel once on an empty data dir (creating the table), then bulk-inserts ROWS rows in one transaction. */
async function seed(dir) {
  const collectionsDir = join(dir, 'collections');
  const dataDir = join(dir, 'satchel-data');
  mkdirSync(collectionsDir, { recursive: true });
  writeFileSync(join(collectionsDir, 'items.json'), JSON.stringify(ITEMS));
  const { createApp } = await import(join(ROOT_DIR, 'dist', 'index.js'));
  await (await createApp({ dataDir, collectionsDir, rateLimit: false })).close();
  const db = new Database(join(dataDir, 'data.db'));
  const insert = db.prepare('INSERT INTO items (id, created, updated, title, views, score) VALUES (?, ?, ?, ?, ?, ?)');
  const now = new Date().toISOString().replace('T', ' ');
  db.transaction(() => {
    for (let i = 0; i < ROWS; i++) {
      const id = randomBytes(12).toString('hex').slice(0, 15);
      // views and score hold the same spread of values, so both queries match the same number of rows.
      const value = (i * 7919) % ROWS;
      insert.run(id, now, now, `item ${i}`, value, value);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  const baselineDb = join(dir, 'baseline.db');
  copyFileSync(join(dataDir, 'data.db'), baselineDb);
  return { collectionsDir, dataDir, baselineDb };
}

export async function runFilterBench({ seconds = 10, connections = 10 } = {}) {
  const dir = join(TMP_DIR, `filter-${Date.now()}-${process.pid}`);
  const servers = [];
  try {
    const { collectionsDir, dataDir, baselineDb } = await seed(dir);
    const basePort = await freePort();
    const baseline = spawnNode([
      join(BENCH_DIR, 'filter-baseline-server.mjs'),
      `--port=${basePort}`,
      `--db=${baselineDb}`,
    ]);
    servers.push(baseline);
    await waitForOk(baseline, basePort, '/health');
    const satPort = await freePort();
    const satchel = spawnNode(
      [
        join(ROOT_DIR, 'dist', 'cli.js'),
        'serve',
        `--http=${HOST}:${satPort}`,
        `--dir=${dataDir}`,
        `--collections=${collectionsDir}`,
      ],
      { env: { SATCHEL_RATE_LIMIT: 'off' } },
    );
    servers.push(satchel);
    await waitForOk(satchel, satPort, '/api/health');

    const min = Math.floor(ROWS * 0.4);
    const max = min + 100;
    const rows = [];
    for (const [label, column] of [
      ['indexed (views)', 'views'],
      ['not indexed (score)', 'score'],
    ]) {
      const filter = encodeURIComponent(`${column} >= ${min} && ${column} < ${max}`);
      const base = await runLoad({
        url: `http://${HOST}:${basePort}/items/${column}?min=${min}&max=${max}`,
        seconds,
        connections,
      });
      const sat = await runLoad({
        url: `http://${HOST}:${satPort}/api/collections/items/records?filter=${filter}&sort=-${column}&perPage=20`,
        seconds,
        connections,
      });
      rows.push({ label, column, base, sat });
    }
    return { rows, min, max };
  } finally {
    for (const s of servers) await stop(s);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function filterMarkdown({ rows, min, max }, { seconds, connections }) {
  const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    `## Filtered, sorted list over ${f(ROWS)} records`,
    '',
    `\`GET /api/collections/items/records?filter=<column> >= ${min} && <column> < ${max}&sort=-<column>&perPage=20\``,
    `(100 matching rows, 20 returned, plus the total count) against a bare Hono server running the same SELECT and COUNT`,
    `through one prepared better-sqlite3 statement each, on a copy of the same table. ${connections} connections, ${seconds} s each.`,
    '',
    '| column | baseline req/s | Satchel req/s | ratio | baseline p99 ms | Satchel p99 ms | target | non-2xx | result |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |',
  ];
  for (const r of rows) {
    const ratio = r.sat.reqPerSec / r.base.reqPerSec;
    const pass = ratio >= 0.8 && r.sat.non2xx === 0;
    lines.push(
      `| ${r.label} | ${f(r.base.reqPerSec)} | ${f(r.sat.reqPerSec)} | ${f(ratio, 2)} | ${f(r.base.latencyP99Ms)} | ${f(r.sat.latencyP99Ms)} | ratio ≥ 0.8 | ${r.sat.non2xx} | ${pass ? 'PASS' : '**FAIL**'} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_FILTER_CONNECTIONS ?? 10);
  console.log(filterMarkdown(await runFilterBench({ seconds, connections }), { seconds, connections }));
}
