// Owns the account scenarios: create-user and password sign-in throughput over HTTP as a ratio against the raw
// argon2id hash rate measured in the same run, and the server's event-loop delay under that load.
// Standalone: node bench/auth.mjs (after npm run build); run.mjs also calls runAuthBench().
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, httpJson, HOST, waitForOk } from './children.mjs';
import { BENCH_DIR, ROOT_DIR, TMP_DIR } from './fixtures.mjs';
import { runLoad } from './load.mjs';

const PASSWORD = 'benchpass123';

/** Runs a node script to completion (bounded) and returns its stdout. */
function runScript(args, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${args.join(' ')} exited with ${code}`));
    });
  });
}

/** Starts bench/eld-server.mjs with an IPC channel for its event-loop histogram. */
async function startServer(dir) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      join(BENCH_DIR, 'eld-server.mjs'),
      `--port=${port}`,
      `--dir=${join(dir, 'data')}`,
      `--collections=${join(dir, 'collections')}`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] },
  );
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const handle = { exitInfo: null, output: () => output };
  child.once('exit', (code, signal) => (handle.exitInfo = { code, signal }));
  await waitForOk(handle, port, '/api/health');
  const ask = (message) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no event-loop report')), 5000);
      child.once('message', (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      child.send(message);
    });
  return {
    port,
    url: `http://${HOST}:${port}`,
    reset: () => child.send('reset'),
    report: () => ask('report'),
    stop: () =>
      new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Measures, in order: the raw hash rate (own process), create-user, then sign-in, each `seconds` long with
 * `connections` requests (or hashes) in flight. Returns rows for the report.
 */
export async function runAuthBench({ seconds = 10, connections = 16 } = {}) {
  const dir = join(TMP_DIR, `auth-${Date.now()}-${process.pid}`);
  mkdirSync(join(dir, 'collections'), { recursive: true });
  copyFileSync(join(ROOT_DIR, 'collections', 'users.json'), join(dir, 'collections', 'users.json'));
  let server;
  try {
    const raw = JSON.parse(
      await runScript(
        [join(BENCH_DIR, 'argon2-rate.mjs'), `--seconds=${seconds}`, `--concurrency=${connections}`],
        seconds * 1000 + 30_000,
      ),
    );
    server = await startServer(dir);
    server.reset();
    const create = await runLoad({
      url: `${server.url}/api/collections/users/records`,
      method: 'POST',
      body: JSON.stringify({ email: 'u[<id>]@bench.example', password: PASSWORD, passwordConfirm: PASSWORD }),
      seconds,
      connections,
    });
    const createDelay = await server.report();

    const seeded = await httpJson(server.port, 'POST', '/api/collections/users/records', {
      email: 'signin@bench.example',
      password: PASSWORD,
      passwordConfirm: PASSWORD,
    });
    if (seeded.status !== 200) throw new Error(`could not seed the sign-in user: ${seeded.status}`);
    server.reset();
    const signIn = await runLoad({
      url: `${server.url}/api/collections/users/auth-with-password`,
      method: 'POST',
      body: JSON.stringify({ identity: 'signin@bench.example', password: PASSWORD }),
      seconds,
      connections,
    });
    const signInDelay = await server.report();
    return {
      raw,
      scenarios: [
        { name: 'create-user', load: create, delay: createDelay },
        { name: 'password sign-in', load: signIn, delay: signInDelay },
      ],
    };
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The markdown section for RESULTS.md. */
export function authMarkdown({ raw, scenarios }, { seconds, connections }) {
  const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
  const lines = [
    '## Accounts: create-user and password sign-in',
    '',
    `Each request costs one argon2id hash (create) or verify (sign-in), so the ceiling is the machine's raw hash rate:`,
    `Satchel's own \`hashPassword\` in a separate process with ${connections} hashes in flight for ${seconds} s. The HTTP`,
    `runs use ${connections} connections for ${seconds} s each. Event-loop delay is measured inside the server process`,
    '(perf_hooks histogram, reset before each run).',
    '',
    `Raw argon2id rate: **${f(raw.hashesPerSecond, 1)} hashes/s** (${f(raw.hashes)} hashes in ${f(raw.seconds, 1)} s).`,
    '',
    '| scenario | req/s | ratio to raw hash rate | target | p99 latency ms | event-loop delay p99 ms (max) | target | non-2xx | result |',
    '| --- | ---: | ---: | --- | ---: | ---: | --- | ---: | --- |',
  ];
  for (const s of scenarios) {
    const ratio = s.load.reqPerSec / raw.hashesPerSecond;
    const pass = ratio >= 0.9 && s.delay.p99 < 10 && s.load.non2xx === 0;
    lines.push(
      `| ${s.name} | ${f(s.load.reqPerSec, 1)} | ${f(ratio, 2)} | ≥ 0.9 | ${f(s.load.latencyP99Ms)} | ${f(s.delay.p99, 2)} (${f(s.delay.max, 1)}) | < 10 ms | ${s.load.non2xx} | ${pass ? 'PASS' : '**FAIL**'} |`,
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const connections = Number(process.env.BENCH_AUTH_CONNECTIONS ?? 16);
  const result = await runAuthBench({ seconds, connections });
  console.log(authMarkdown(result, { seconds, connections }));
}
