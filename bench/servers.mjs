// Owns how each server under test is launched and addressed: Satchel (dist/cli.js serve, on SQLite or PostgreSQL)
// and the bare baselines (bench/baseline-server.mjs, bench/pg-baseline-server.mjs), each as its own child process on
// 127.0.0.1 with a free port.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { freePort, HOST, spawnNode, waitForOk } from './children.mjs';
import { BENCH_DIR, ROOT_DIR } from './fixtures.mjs';

/** dist/cli.js, or BENCH_SATCHEL_CLI (e.g. another build of Satchel to compare). */
export const SATCHEL_CLI = process.env.BENCH_SATCHEL_CLI
  ? resolve(ROOT_DIR, process.env.BENCH_SATCHEL_CLI)
  : join(ROOT_DIR, 'dist', 'cli.js');
/** bench/baseline-server.mjs, or BENCH_BASELINE_SCRIPT (another baseline with the same routes, to compare). */
export const BASELINE_SCRIPT = process.env.BENCH_BASELINE_SCRIPT
  ? resolve(ROOT_DIR, process.env.BENCH_BASELINE_SCRIPT)
  : join(BENCH_DIR, 'baseline-server.mjs');

/** Each server's paths; `col` is a collection (table) name from fixtures.mjs. */
const SATCHEL_ROUTES = {
  health: '/api/health',
  create: (col) => `/api/collections/${col}/records`,
  list: (col, page, perPage) => `/api/collections/${col}/records?page=${page}&perPage=${perPage}`,
  view: (col, id) => `/api/collections/${col}/records/${id}`,
};

const BASELINE_ROUTES = {
  health: '/health',
  create: (col) => `/${col}`,
  list: (col, page, perPage) => `/${col}?page=${page}&perPage=${perPage}`,
  view: (col, id) => `/${col}/${id}`,
};

export function assertBuilt() {
  if (!existsSync(SATCHEL_CLI)) throw new Error(`${SATCHEL_CLI} is missing: run "npm run build" first`);
}

/**
 * Environment for every Satchel process: per-IP rate limiting off (the load comes from one IP, so the default create
 * limit would turn the benchmark into a 429 benchmark). An environment variable, not a flag, so that builds without
 * the setting still start.
 */
export const SATCHEL_ENV = { SATCHEL_RATE_LIMIT: 'off' };

/** argv for `satchel serve` on 127.0.0.1:port; `db` (a postgres:// URL) when not on the data dir's SQLite file. */
export function satchelArgs(port, dataDir, collectionsDir, db) {
  return [
    SATCHEL_CLI,
    'serve',
    `--http=${HOST}:${port}`,
    `--dir=${dataDir}`,
    `--collections=${collectionsDir}`,
    ...(db ? [`--db=${db}`] : []),
  ];
}

async function launch(name, label, args, routes, nodeFlags, env) {
  const port = await freePort();
  const handle = spawnNode(args(port), { cwd: ROOT_DIR, nodeFlags, env });
  const readyAt = await waitForOk(handle, port, routes.health);
  return {
    name,
    label,
    port,
    handle,
    pid: handle.pid,
    baseUrl: `http://${HOST}:${port}`,
    routes,
    /** Spawn to first 200 from the health route, in ms. */
    startMs: Number(readyAt - handle.spawnedAt) / 1e6,
  };
}

/**
 * Starts `node dist/cli.js serve` on a free loopback port (on `db`, a postgres:// URL, when given); resolves once
 * /api/health answers 200.
 */
export function startSatchel({ dataDir, collectionsDir, db, nodeFlags = [] }) {
  const args = (port) => satchelArgs(port, dataDir, collectionsDir, db);
  return launch('satchel', 'Satchel', args, SATCHEL_ROUTES, nodeFlags, SATCHEL_ENV);
}

/** Starts the bare PostgreSQL baseline (bench/pg-baseline-server.mjs) on `url`, whose tables Satchel created. */
export function startPgBaseline({ url, nodeFlags = [] }) {
  const args = (port) => [join(BENCH_DIR, 'pg-baseline-server.mjs'), `--port=${port}`, `--db=${url}`];
  return launch('pg-baseline', 'PG baseline', args, BASELINE_ROUTES, nodeFlags);
}

/** Starts the bare baseline server on a free loopback port; resolves once /health answers 200. */
export function startBaseline({ dbFile, nodeFlags = [] }) {
  const args = (port) => [BASELINE_SCRIPT, `--port=${port}`, `--db=${dbFile}`];
  return launch('baseline', 'Baseline', args, BASELINE_ROUTES, nodeFlags);
}
