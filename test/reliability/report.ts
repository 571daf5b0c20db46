// Reliability numbers for bench/RESULTS.md: tests add theirs to the file SATCHEL_RELIABILITY_REPORT names
// (`npm run test:soak` sets it and writes the table); without it, nothing is written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export function recordReliability(numbers: Record<string, number>): void {
  const file = process.env.SATCHEL_RELIABILITY_REPORT;
  if (!file) return;
  const current = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>) : {};
  for (const [key, value] of Object.entries(numbers)) current[key] = (current[key] ?? 0) + value;
  writeFileSync(file, JSON.stringify(current, null, 2));
}
