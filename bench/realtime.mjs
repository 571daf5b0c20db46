// Owns the realtime scenarios: one change fanned out to N subscribed SSE connections (delivery latency p50/p99,
// server RSS), and creates per second with and without N idle subscribers (connected, subscribed to another
// collection). Subscribers and load both live in this process, a separate one from the server; everything is on
// 127.0.0.1 and bounded in count and time.
// Standalone: node bench/realtime.mjs (after npm run build) writes its section into bench/RESULTS.md.
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { HOST, installCleanup, rssBytes, stop } from './children.mjs';
import { makeWorkDir, removeWorkDir } from './fixtures.mjs';
import { runLoad } from './load.mjs';
import { RESULTS_FILE } from './report.mjs';
import { assertBuilt, startSatchel } from './servers.mjs';
import { writeSection } from './sections.mjs';
import { BENCH_COLLECTIONS } from './scenarios.mjs';

const SUBSCRIBERS = Number(process.env.BENCH_REALTIME_SUBSCRIBERS ?? 1000);
const CHANGES = Number(process.env.BENCH_REALTIME_CHANGES ?? 40);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGETS = { p99Ms: 50, idleWriteRatio: 0.9 };

const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

/** Opens one SSE connection; resolves with its client id once PB_CONNECT arrived. */
function connect(port, onEvent) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: '/api/realtime', agent }, (res) => {
      res.setEncoding('utf8');
      let buffer = '';
      let id;
      res.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!id) {
            id = /"clientId":"(\w+)"/.exec(block)?.[1];
            if (id) resolve({ id, close: () => req.destroy() });
          } else {
            onEvent(block);
          }
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.setTimeout(30_000, () => req.destroy(new Error('connect timeout')));
  });
}

function post(port, path, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request(
      {
        host: HOST,
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          res.statusCode < 300 ? resolve(text) : reject(new Error(`${path}: ${res.statusCode} ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** N subscribers on `topic`, connected a batch at a time (the server sees a realistic ramp, not one burst). */
async function subscribers(port, n, topic, onEvent) {
  const clients = [];
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(Array.from({ length: Math.min(100, n - i) }, () => connect(port, onEvent)));
    await Promise.all(batch.map((c) => post(port, '/api/realtime', { clientId: c.id, subscriptions: [topic] })));
    clients.push(...batch);
  }
  return clients;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

export async function runRealtimeBench() {
  assertBuilt();
  const work = makeWorkDir();
  const articles = BENCH_COLLECTIONS[0];
  // A second collection for idle subscribers: connected, subscribed, and told nothing by article writes.
  writeFileSync(
    `${work.collectionsDir}/others.json`,
    JSON.stringify({ name: 'others', listRule: '', viewRule: '', fields: [{ name: 'title', type: 'text' }] }),
  );
  const server = await startSatchel({ dataDir: work.satchelDataDir, collectionsDir: work.collectionsDir });
  try {
    const createUrl = `${server.baseUrl}/api/collections/${articles.name}/records`;
    const writes = () => runLoad({ url: createUrl, method: 'POST', body: articles.createBody, seconds: SECONDS });
    await runLoad({ url: createUrl, method: 'POST', body: articles.createBody, seconds: 2 });
    const rssIdle = rssBytes(server.pid);

    // Creates/s without and with N idle subscribers, alternating, ratio per round.
    const rounds = [];
    let rssWithSubscribers = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const without = await writes();
      const idle = await subscribers(server.port, SUBSCRIBERS, 'others/*', () => undefined);
      await new Promise((res) => setTimeout(res, 500));
      rssWithSubscribers = Math.max(rssWithSubscribers, rssBytes(server.pid) ?? 0);
      const withIdle = await writes();
      for (const c of idle) c.close();
      rounds.push({
        without: without.reqPerSec,
        withIdle: withIdle.reqPerSec,
        ratio: withIdle.reqPerSec / without.reqPerSec,
      });
      console.log(
        `[realtime] round ${r + 1}: creates/s ${without.reqPerSec.toFixed(0)} without, ${withIdle.reqPerSec.toFixed(0)} with ${SUBSCRIBERS} idle subscribers`,
      );
      await new Promise((res) => setTimeout(res, 500));
    }

    // Fan-out: every subscriber hears each change; latency from just before the create to each receipt.
    const sentAt = new Map();
    const latencies = [];
    let received = 0;
    const listeners = await subscribers(server.port, SUBSCRIBERS, `${articles.name}/*`, (block) => {
      const title = /"title":"(fanout-\d+)"/.exec(block)?.[1];
      const t0 = title && sentAt.get(title);
      if (t0 !== undefined) {
        latencies.push(performance.now() - t0);
        received++;
      }
    });
    const body = JSON.parse(articles.createBody);
    const deadline = Date.now() + 120_000;
    for (let i = 0; i < CHANGES && Date.now() < deadline; i++) {
      const title = `fanout-${i}`;
      const expected = (i + 1) * SUBSCRIBERS;
      sentAt.set(title, performance.now());
      await post(server.port, createUrl.replace(server.baseUrl, ''), { ...body, title });
      while (received < expected && Date.now() < deadline) await new Promise((res) => setTimeout(res, 2));
      await new Promise((res) => setTimeout(res, 50));
    }
    const rssFanout = rssBytes(server.pid);
    for (const c of listeners) c.close();
    const result = {
      subscribers: SUBSCRIBERS,
      changes: CHANGES,
      delivered: latencies.length,
      expected: CHANGES * SUBSCRIBERS,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      rssIdle,
      rssWithSubscribers,
      rssFanout,
      rounds,
      ratio: median(rounds.map((r) => r.ratio)),
    };
    console.log(
      `[realtime] fan-out to ${SUBSCRIBERS}: ${result.delivered}/${result.expected} delivered, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms; idle-subscriber create ratio ${result.ratio.toFixed(2)}`,
    );
    return result;
  } finally {
    await stop(server.handle);
    removeWorkDir(work);
  }
}

const mib = (b) => (b / 2 ** 20).toFixed(1);

export function realtimeMarkdown(r) {
  const pass = (ok) => (ok ? 'pass' : '**FAIL**');
  return [
    '## Realtime',
    '',
    `Written by \`node bench/realtime.mjs\` (${new Date().toISOString().slice(0, 10)}; a full \`bench/run.mjs\` keeps it). One Satchel server; ` +
      `${r.subscribers} SSE subscribers and the load in the runner process, all on 127.0.0.1. Subscribers are guests on \`articles/*\` (fan-out) ` +
      'or on `others/*` (idle: connected and subscribed, but told nothing by article writes).',
    '',
    '| Check | Target | Measured | Result |',
    '| --- | --- | --- | --- |',
    `| delivery latency p99, one change to ${r.subscribers} subscribers | < ${TARGETS.p99Ms} ms | ${r.p99.toFixed(1)} ms (p50 ${r.p50.toFixed(1)}, max ${r.max.toFixed(1)}) | ${pass(r.p99 < TARGETS.p99Ms && r.delivered === r.expected)} |`,
    `| creates/s with ${r.subscribers} idle subscribers ÷ without (median of ${r.rounds.length} rounds) | ≥ ${TARGETS.idleWriteRatio} | ${r.ratio.toFixed(2)} | ${pass(r.ratio >= TARGETS.idleWriteRatio)} |`,
    '',
    `- Delivered ${r.delivered} of ${r.expected} messages (${r.changes} creates, each awaited until every subscriber had it).`,
    `- Creates/s per round (without → with idle subscribers): ${r.rounds.map((x) => `${x.without.toFixed(0)} → ${x.withIdle.toFixed(0)}`).join('; ')}.`,
    `- Server RSS: ${mib(r.rssIdle)} MiB after warm-up without subscribers, ${mib(r.rssWithSubscribers)} MiB with ${r.subscribers} idle subscribers, ${mib(r.rssFanout)} MiB after the fan-out.`,
  ].join('\n');
}

/** Writes (or replaces) the realtime section of bench/RESULTS.md. */
export function writeRealtimeSection(result) {
  writeSection(
    RESULTS_FILE,
    'realtime',
    realtimeMarkdown(result),
    'written by bench/realtime.mjs; a full bench/run.mjs keeps it',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  installCleanup();
  writeRealtimeSection(await runRealtimeBench());
  console.log(`[realtime] wrote ${RESULTS_FILE}`);
  process.exit(0);
}
