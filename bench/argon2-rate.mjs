// Owns the raw argon2id hash rate: @node-rs/argon2 itself with Satchel's parameters, no limit of Satchel's, run
// with a fixed number of hashes in flight for a bounded time, in its own process. Prints {hashesPerSecond} as JSON.
// Usage: node bench/argon2-rate.mjs --seconds=10 --concurrency=16
import { hash } from '@node-rs/argon2';
import { HASH_OPTIONS } from '../dist/core/passwords/argon2.js';

const arg = (name, fallback) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const seconds = arg('seconds', 10);
const concurrency = arg('concurrency', 16);
const deadline = performance.now() + seconds * 1000;
let done = 0;

async function worker(index) {
  for (let i = 0; performance.now() < deadline; i++) {
    await hash(`password-${index}-${i}`, HASH_OPTIONS);
    done++;
  }
}
const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(i)));
const elapsed = (performance.now() - started) / 1000;
console.log(JSON.stringify({ hashesPerSecond: done / elapsed, hashes: done, seconds: elapsed, concurrency }));
