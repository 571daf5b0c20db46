// Load on a real server from this (separate) process: 200 connections of mixed reads and writes, in rounds,
// with zero 5xx and memory that comes back between rounds (no leak); then a flood of structurally different
// guest filters, after which memory is flat. `npm run test:soak` runs the long variants (30 s rounds, 80,000
// filters); `npm test` a short one.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, startServer, type TestServer } from '../server/helpers/server.js';
import { recordReliability } from './report.js';

const SOAK = process.env.SATCHEL_SOAK === '1';
const ROUND_SECONDS = SOAK ? 30 : 4;
const ROUNDS = 3;
const CONNECTIONS = 200;
const FILTERS = SOAK ? 80_000 : 6_000;

afterAll(() => cleanup());

/** Resident memory of a process, in MiB. */
function rssMiB(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!;
  return Number(line.replace(/\D+/g, '')) / 1024;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    // V8 grows its heap lazily under a high allocation rate, which reads like a leak in RSS. A capped heap
    // tells the two apart: garbage is collected before the cap, while a leak would climb to it and crash.
    server = await startServer({
      collections: [posts],
      env: { SATCHEL_RATE_LIMIT: 'off', NODE_OPTIONS: '--max-old-space-size=96' },
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
    await settle(1500);
    const idle = rssMiB(server.process.pid!);
    const steady = requests.filter((r) => r.method !== 'POST');
    const rss: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const outcome = await load(server.url, ROUND_SECONDS, steady);
      total += outcome.total;
      expect(outcome.status5xx, `round ${round}`).toBe(0);
      expect(outcome.errors + outcome.timeouts, `round ${round}`).toBe(0);
      await settle(1500);
      rss.push(rssMiB(server.process.pid!));
    }
    console.log(
      `[load] ${total} requests; RSS after warm-up ${idle.toFixed(0)} MiB, after each round: ${rss.map((r) => r.toFixed(0)).join(', ')}`,
    );
    // The first steady round brings the heap to its working size (GC gets lazier as allocation goes on); from
    // there memory must stay within 20 %: a leak keeps climbing round after round.
    for (const after of rss.slice(1)) expect(after).toBeLessThanOrEqual(rss[0]! * 1.2);
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
          // Each filter has a shape of its own (a different number of conditions and operators), not just other values.
          const terms = Array.from(
            { length: (n % 9) + 1 },
            (_, k) => `${k % 2 ? 'views' : 'title'} ${['=', '!=', '>', '~'][(n + k) % 4]} "${k}"`,
          );
          const filter = `${terms.join(n % 2 ? ' && ' : ' || ')} && id != "${n.toString(36)}"`;
          return {
            ...req,
            path: `${path}?perPage=1&filter=${encodeURIComponent(filter)}&sort=${n % 3 ? '-' : ''}title`,
          };
        },
      },
    ];
    const outcome = await load(server.url, 120, requests, FILTERS);
    expect(outcome.status5xx).toBe(0);
    await settle(1500);
    const after = rssMiB(server.process.pid!);
    recordReliability({ filterFlood: outcome.total, filterFloodRssBeforeMiB: before, filterFloodRssAfterMiB: after });
    console.log(`[load] filter flood: ${outcome.total} requests; RSS ${before.toFixed(0)} -> ${after.toFixed(0)} MiB`);
    // Bounded caches: the flood may fill them, not grow without end (the unbounded cache grew ~10 MiB per 1,000).
    expect(after).toBeLessThanOrEqual(before * 1.2 + 15);
    await server.stop();
  }, 600_000);
});
