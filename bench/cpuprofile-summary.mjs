// Owns reading a V8 .cpuprofile (from `node --cpu-prof`): self and inclusive time per function and self time per
// package/file, as plain text. Usable alone: node bench/cpuprofile-summary.mjs FILE.cpuprofile [--top=N]
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT_DIR } from './fixtures.mjs';

const rootUrl = pathToFileURL(ROOT_DIR).href;

/** Where a function lives, shortened: `dist/core/…`, `hono/…`, `node:…`, or `(native)`. */
function shortUrl(url) {
  if (!url) return '(native)';
  let u = url.startsWith(rootUrl) ? url.slice(rootUrl.length + 1) : url;
  const nm = u.lastIndexOf('node_modules/');
  if (nm !== -1) u = u.slice(nm + 'node_modules/'.length);
  return u;
}

/** Satchel's own compiled code: dist/…, or a copy of it such as bench/.tmp/exp/dist-x/… (BENCH_SATCHEL_CLI). */
function isSatchel(url) {
  if (!url.startsWith(rootUrl) || url.includes('/node_modules/')) return false;
  return /^(?:[^:]*\/)?dist(?:-[\w-]+)?\//.test(url.slice(rootUrl.length + 1));
}

/** The bucket a frame's self time is added to in the per-package table. */
function bucketOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native / builtins)';
  const u = shortUrl(url);
  if (u.startsWith('node:')) return 'node core (JS)';
  if (isSatchel(url)) return `satchel ${u}`;
  const m = /^((?:@[^/]+\/)?[^/]+)\//.exec(u);
  return m ? m[1] : u;
}

/** Summarizes a parsed profile: { totalMs, functions: [{key, selfMs, totalMs}], buckets: [{bucket, selfMs}] }. */
export function summarizeProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const keyOf = (n) => {
    const f = n.callFrame;
    const name = f.functionName || '(anonymous)';
    return f.url ? `${name}  ${shortUrl(f.url)}:${f.lineNumber + 1}` : name;
  };

  const self = new Map();
  const inclusive = new Map();
  const satchelKeys = new Set();
  for (const n of profile.nodes) if (isSatchel(n.callFrame.url)) satchelKeys.add(keyOf(n));
  const buckets = new Map();
  let totalUs = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    const dt = Math.max(0, timeDeltas[i] ?? 0);
    totalUs += dt;
    const node = byId.get(samples[i]);
    if (!node) continue;
    const key = keyOf(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const bucket = bucketOf(node.callFrame.url, node.callFrame.functionName);
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
    // Inclusive: every distinct function on the stack once (recursion is not double counted). Stacks are finite.
    const seen = new Set();
    for (let id = node.id, depth = 0; id !== undefined && depth < 10_000; id = parent.get(id), depth++) {
      const k = keyOf(byId.get(id));
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const ms = (us) => us / 1000;
  return {
    totalMs: ms(totalUs),
    functions: [...self.keys()].map((key) => ({
      key,
      selfMs: ms(self.get(key)),
      totalMs: ms(inclusive.get(key) ?? 0),
    })),
    inclusive: [...inclusive.entries()].map(([key, us]) => ({
      key,
      totalMs: ms(us),
      selfMs: ms(self.get(key) ?? 0),
      satchel: satchelKeys.has(key),
    })),
    buckets: [...buckets.entries()].map(([bucket, us]) => ({ bucket, selfMs: ms(us) })),
  };
}

/**
 * The summary as text: top self time, top Satchel-owned inclusive time, self time per package. With `requests` (how
 * many requests the profiled process answered), each line also shows µs per request.
 */
export function formatSummary(summary, top = 25, requests = 0) {
  const pct = (x) => `${((100 * x) / summary.totalMs).toFixed(1).padStart(5)}%`;
  const perReq = (ms) => (requests > 0 ? `${((ms * 1000) / requests).toFixed(1).padStart(6)} µs/req  ` : '');
  const busy = summary.functions.filter((f) => f.key !== '(idle)').reduce((a, f) => a + f.selfMs, 0);
  const lines = [
    `profile: ${summary.totalMs.toFixed(0)} ms sampled, ${busy.toFixed(0)} ms not idle` +
      (requests > 0 ? `; ${requests} requests, ${((busy * 1000) / requests).toFixed(1)} µs not idle per request` : ''),
    '',
    `top ${top} by self time:`,
  ];
  for (const f of [...summary.functions].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    lines.push(
      `  ${pct(f.selfMs)} self ${f.selfMs.toFixed(0).padStart(6)} ms  ${perReq(f.selfMs)}incl ${f.totalMs.toFixed(0).padStart(6)} ms  ${f.key}`,
    );
  }
  lines.push('', 'Satchel functions (dist/) by inclusive time:');
  for (const f of summary.inclusive
    .filter((x) => x.satchel)
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top)) {
    lines.push(
      `  ${pct(f.totalMs)} incl ${f.totalMs.toFixed(0).padStart(6)} ms  ${perReq(f.totalMs)}self ${f.selfMs.toFixed(0).padStart(6)} ms  ${f.key}`,
    );
  }
  lines.push('', 'self time by package / file:');
  for (const b of [...summary.buckets].sort((a, b) => b.selfMs - a.selfMs).slice(0, top)) {
    lines.push(`  ${pct(b.selfMs)} ${b.selfMs.toFixed(0).padStart(7)} ms  ${perReq(b.selfMs)}${b.bucket}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/cpuprofile-summary.mjs FILE.cpuprofile [--top=N] [--requests=N]');
    process.exit(2);
  }
  const topArg = process.argv.find((a) => a.startsWith('--top='));
  const top = topArg ? Math.max(1, Math.min(200, Number(topArg.slice(6)) || 25)) : 25;
  const requestsArg = process.argv.find((a) => a.startsWith('--requests='));
  const requests = requestsArg ? Math.max(0, Number(requestsArg.slice(11)) || 0) : 0;
  console.log(formatSummary(summarizeProfile(JSON.parse(readFileSync(file, 'utf8'))), top, requests));
}
