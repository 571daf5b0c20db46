// Random ids and keys: record ids (15 chars of [a-z0-9]) and secrets, from the OS's CSPRNG.
import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes are drawn from the CSPRNG in blocks: one call per id costs more than the id is worth.
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomByte(): number {
  if (poolAt >= pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/** A random string of `length` characters drawn uniformly from `alphabet` (at most 256 characters). */
export function randomString(length: number, alphabet = ALNUM): string {
  // Bytes at or above the largest multiple of the alphabet's size are dropped, so every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % alphabet.length];
  }
  return out;
}

/** A new record id as PocketBase makes them: 15 characters of [a-z0-9]. */
export function newRecordId(): string {
  return randomString(15, LOWER_ALNUM);
}

/** A stable id derived from text, e.g. `pbc_` + crc32(type+name) for collections, as PocketBase does. */
export function checksumId(prefix: string, text: string): string {
  return `${prefix}${crc32(text)}`;
}
