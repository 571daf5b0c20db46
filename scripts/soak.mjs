// npm run test:soak: the long variants of the reliability and security suites (30 SIGKILLs, 30-second load
// rounds, an 80,000-filter flood, 10,000 fuzz cases), then their numbers as a table in bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const report = join('bench', '.tmp', 'reliability.json');
mkdirSync(join('bench', '.tmp'), { recursive: true });
rmSync(report, { force: true });

const env = {
  ...process.env,
  SATCHEL_SOAK: '1',
  SATCHEL_RELIABILITY_KILLS: process.env.SATCHEL_RELIABILITY_KILLS ?? '30',
  SATCHEL_FUZZ_RUNS: process.env.SATCHEL_FUZZ_RUNS ?? '10000',
  SATCHEL_RELIABILITY_REPORT: report,
};
const started = Date.now();
const run = spawnSync(
  process.execPath,
  ['node_modules/vitest/vitest.mjs', 'run', 'test/reliability', 'test/security'],
  {
    env,
    stdio: 'inherit',
  },
);
if (run.status !== 0) process.exit(run.status ?? 1);

const n = existsSync(report) ? JSON.parse(readFileSync(report, 'utf8')) : {};
const fmt = (x) => (x === undefined ? 'n/a' : Math.round(x).toLocaleString('en-US'));
const table = [
  '<!-- reliability:start (written by npm run test:soak; bench/run.mjs keeps it) -->',
  '## Reliability',
  '',
  `- Date: ${new Date().toISOString()}, Node ${process.version}, ${Math.round((Date.now() - started) / 1000)} s`,
  '',
  '| check | measured | expected |',
  '| --- | ---: | --- |',
  `| SIGKILLs survived under concurrent writes | ${fmt(n.kills)} | all, every time |`,
  `| acknowledged writes checked after the kills | ${fmt(n.acknowledgedWrites)} (${fmt(n.recordsChecked)} records) | all present |`,
  `| acknowledged writes lost | ${fmt(n.lost)} | 0 |`,
  `| fuzz cases over every route | ${fmt(n.fuzzCases)} | — |`,
  `| 5xx answers to fuzz cases | ${fmt(n.fuzzServerErrors)} | 0 |`,
  `| requests under load (200 connections, mixed) | ${fmt(n.loadRequests)} | — |`,
  `| 5xx answers under load | ${fmt(n.load5xx)} | 0 |`,
  `| structurally different guest filters | ${fmt(n.filterFlood)} | — |`,
  `| server RSS after the first / the second half of the filter flood (MiB) | ${fmt(n.filterFloodRssBeforeMiB)} / ${fmt(n.filterFloodRssAfterMiB)} | flat |`,
  '<!-- reliability:end -->',
].join('\n');

const results = join('bench', 'RESULTS.md');
const current = existsSync(results) ? readFileSync(results, 'utf8') : '# Satchel benchmark results\n';
const section = /<!-- reliability:start[\s\S]*?<!-- reliability:end -->/;
writeFileSync(results, section.test(current) ? current.replace(section, table) : `${current.trimEnd()}\n\n${table}\n`);
console.log(`\n${table}\n\nwritten to ${results}`);
