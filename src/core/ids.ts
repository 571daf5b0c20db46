// Random ids and keys: record ids (15 chars of [a-z0-9]) and secrets, from the OS's CSPRNG.
import { randomInt } from 'node:crypto';
import { crc32 } from 'node:zlib';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string of `length` characters drawn from `alphabet`. */
export function randomString(length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
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
