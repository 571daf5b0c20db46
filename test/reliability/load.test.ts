// Load on a real server from this (separate) process: 200 connections of mixed reads and writes, in rounds,
// with zero 5xx and memory that comes back between rounds (no leak); then a flood of structurally different
// guest filters, after which memory is flat. `npm run test:soak` runs the long variants (30 s rounds, 80,000
// filters); `npm test` a short one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, startServer, type TestServer } from '../server/helpers/server.js';
import { recordReliability } from './report.js';

const SOAK = process.env.SATCHEL_SOAK === '1';
const ROUND_SECONDS = SOAK ? 30 : 4;
const ROUNDS = 3;
const CONNECTIONS = 200;
const FILTERS = SOAK ? 80_000 : 12_000;
const FLOOD = Math.ceil(FILTERS / 3);

afterAll(() => cleanup());

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const PROBE = fileURLToPath(new URL('./heap-probe.cjs', import.meta.url));

/** The server's live heap and RSS after a full collection, in MiB (see heap-probe.cjs). */
async function afterCollection(server: TestServer): Promise<{ heap: number; rss: number }> {
  const before = server.output().length;
  server.process.kill('SIGUSR2');
  for (let i = 0; i < 100; i++) {
    const line = /heap-probe (\d+) (\d+)/.exec(server.output().slice(before));
    if (line) return { heap: Number(line[1]) / 2 ** 20, rss: Number(line[2]) / 2 ** 20 };
    await settle(20);
  }
  throw new Error('the heap probe did not answer');
}

interface Outcome {
  total: number;
  status5xx: number;
  errors: number;
  timeouts: number;
}

/** One bounded autocannon run; `requests` are cycled per connection. */
function load(url: string, seconds: number, requests: autocannon.Request[], amount?: number): Promise<Outcome> {
  let status5xx = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: CONNECTIONS,
        timeout: 20,
        requests,
        ...(amount ? { amount } : { duration: seconds }),
      },
      (err, result) => {
        clearTimeout(hard);
        if (err) return reject(err);
        resolve({ total: result.requests.total, status5xx, errors: result.errors, timeouts: result.timeouts });
      },
    );
    instance.on('response', (_client, statusCode) => {
      if (statusCode >= 500) status5xx++;
    });
    const hard = setTimeout(() => instance.stop(), (seconds * 3 + 60) * 1000);
  });
}

const posts = {
  name: 'posts',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  fields: [
    { name: 'title', type: 'text', required: true, max: 200 },
    { name: 'body', type: 'text', max: 5000 },
    { name: 'views', type: 'number' },
    { name: 'status', type: 'select', values: ['draft', 'live'] },
  ],
  indexes: ['CREATE INDEX idx_posts_created ON posts (created)'],
};

let seq = 0;

describe('load', () => {
  let server: TestServer;

  it(`${CONNECTIONS} connections of mixed reads and writes, ${ROUNDS} rounds of ${ROUND_SECONDS} s: no 5xx, no leak`, async () => {
    // V8 grows its heap lazily under a high allocation rate, which reads like a leak in RSS. The probe reports
    // the live heap after a full collection; a capped heap makes a leak crash rather than hide.
    server = await startServer({
      collections: [posts],
      env: { SATCHEL_RATE_LIMIT: 'off', NODE_OPTIONS: `--max-old-space-size=96 --expose-gc --require ${PROBE}` },
    });
    const base = '/api/collections/posts/records';
    const seed = await fetch(`${server.url}${base}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'seed', views: 1 }),
    });
    const seedId = ((await seed.json()) as { id: string }).id;
    const requests: autocannon.Request[] = [
      {
        method: 'POST',
        path: base,
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({ title: `load ${seq++}`, body: 'x'.repeat(300), views: seq % 100, status: 'live' }),
        }),
      },
      { method: 'GET', path: `${base}?perPage=20&sort=-created` },
      { method: 'GET', path: `${base}/${seedId}` },
      {
        method: 'PATCH',
        path: `${base}/${seedId}`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ 'views+': 1 }),
      },
      { method: 'GET', path: `${base}?filter=${encodeURIComponent('views > 50 && status = "live"')}&perPage=5` },
    ];
    // A warm-up round writes the data and grows the heap and SQLite's page cache to their working size. The
    // measured rounds then read and update (the table no longer grows, so neither should memory): a leak would
    // show as memory that keeps climbing from round to round.
    const warmup = await load(server.url, ROUND_SECONDS, requests);
    expect(warmup.status5xx, 'warm-up').toBe(0);
    let total = warmup.total;
    await settle(1000);
    const idleHeap = (await afterCollection(server)).heap;
    const steady = requests.filter((r) => r.method !== 'POST');
    const heaps: number[] = [];
    const rss: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await load(server.url, ROUND_SECONDS, steady);
      total += outcome.total;
      expect(outcome.status5xx, `round ${round}`).toBe(0);
      expect(outcome.errors + outcome.timeouts, `round ${round}`).toBe(0);
      await settle(1000);
      heaps.push((await afterCollection(server)).heap);
      rss.push(rssMiB(server.process.pid!));
    }
    console.log(
      `[load] ${total} requests; live heap after warm-up ${idleHeap.toFixed(1)} MiB, after each round: ` +
        `${heaps.map((h) => h.toFixed(1)).join(', ')} (RSS ${rss.map((r) => r.toFixed(0)).join(', ')} MiB)`,
    );
    // What is still reachable after a full collection comes back to where it was (within 20 %): a leak keeps it
    // climbing round after round.
    for (const heap of heaps) expect(heap).toBeLessThanOrEqual(idleHeap * 1.2 + 1);
    recordReliability({ loadRequests: total, load5xx: 0 });
  }, 600_000);

  it(`a flood of ${FILTERS.toLocaleString('en-US')} structurally different guest filters leaves memory flat`, async () => {
    const path = '/api/collections/posts/records';
    const before = rssMiB(server.process.pid!);
    let n = 0;
    const requests: autocannon.Request[] = [
      {
        method: 'GET',
        setupRequest: (req) => {
          n++;
          // Each filter has a shape of its own, not just other values: the bits of n pick the field and the
          // operator of each condition, so almost every request compiles to SQL never seen before.
          const bits = n.toString(2);
          const terms = [...bits].map(
            (bit, k) => `${bit === '1' ? 'views' : 'title'} ${['=', '!=', '>', '~'][(n >> k) % 4]} "${k}"`,
          );
          const filter = `${terms.join(' && ')} && id != "x"`;
          return {
            ...req,
            path: `${path}?perPage=1&filter=${encodeURIComponent(filter)}&sort=${n % 3 ? '-' : ''}title`,
          };
        },
      },
    ];
    // Three floods: the first fills every cache keyed by the text (statements, parsed filters, built queries);
    // the next two, of filters never seen before either, must leave memory about where the first did (a bounded
    // cache is full and stays so; an unbounded one grows with each flood: measured at about 75 MiB per 4,000
    // filters with the statement cache unbounded, against 0-25 MiB of allocator noise with it bounded).
    const first = await load(server.url, 120, requests, FLOOD);
    await settle(1000);
    // RSS, not the heap: prepared statements live in SQLite's own memory, which the V8 heap does not show.
    const mid = (await afterCollection(server)).rss;
    const second = await load(server.url, 120, requests, FLOOD);
    const third = await load(server.url, 120, requests, FLOOD);
    expect(first.status5xx + second.status5xx + third.status5xx).toBe(0);
    await settle(1000);
    const after = (await afterCollection(server)).rss;
    const total = first.total + second.total + third.total;
    recordReliability({ filterFlood: total, filterFloodRssBeforeMiB: mid, filterFloodRssAfterMiB: after });
    console.log(
      `[load] filter flood: ${total} requests; RSS ${before.toFixed(0)} before, ${mid.toFixed(0)} after the first third, ${after.toFixed(0)} MiB after the rest`,
    );
    expect(after).toBeLessThanOrEqual(mid * 1.25 + 10);
    await server.stop();
  }, 600_000);
});
