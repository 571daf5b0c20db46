// Owns reading the benchmark's numeric settings from the environment (BENCH_SECONDS and the like), checked.

/** `process.env[name]` as a number in [min, max], or `fallback` when unset; anything else is an error. */
export function envNumber(name, fallback, { min = 0, max = Infinity } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${name} must be a number in [${min}, ${max}] (got "${raw}")`);
  return n;
}
