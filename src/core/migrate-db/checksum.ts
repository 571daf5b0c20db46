// A checksum of a table's rows that two engines agree on: each row's values, normalized by the field types
// (booleans, numbers, JSON with its keys in any order), hashed; the row hashes are added up, so the order in
// which an engine returns rows does not matter.
import { createHash } from 'node:crypto';

/** JSON text with object keys sorted at every depth: `{"b":1,"a":2}` and `{"a":2,"b":1}` give the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  // -0 and 0 are one number to every engine.
  if (typeof value === 'number' && Object.is(value, -0)) return '0';
  return JSON.stringify(value ?? null);
}

const MODULUS = 1n << 128n;

/** Accumulates rows; the digest is the same whatever order the rows came in. */
export class TableChecksum {
  rows = 0;
  private sum = 0n;

  add(values: readonly unknown[]): void {
    const digest = createHash('sha256').update(canonicalJson(values)).digest();
    this.sum = (this.sum + digest.readBigUInt64BE(0) * (1n << 64n) + digest.readBigUInt64BE(8)) % MODULUS;
    this.rows++;
  }

  /** 32 hex digits. */
  get digest(): string {
    return this.sum.toString(16).padStart(32, '0');
  }
}
