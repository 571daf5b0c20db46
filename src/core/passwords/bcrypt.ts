// Checking bcrypt hashes, the form PocketBase stores passwords in, so users of an imported PocketBase database can
// sign in; a matching sign-in then replaces the hash with argon2id (see isOutdatedHash).
import type * as Bcrypt from '@node-rs/bcrypt';
import { hashSlots } from './hash-slots.js';

// Loaded on the first bcrypt hash seen: a database that never held one never loads it.
let library: Promise<typeof Bcrypt> | undefined;
const bcrypt = () => (library ??= import('@node-rs/bcrypt'));

/** `$2a$`, `$2b$` or `$2y$`, a two-digit cost, then 53 characters of salt and digest (60 in all). */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

/** True when `hashed` is a bcrypt hash (PocketBase's, or any tool's that writes the modular crypt form). */
export function isBcryptHash(hashed: string): boolean {
  return BCRYPT_HASH.test(hashed);
}

/** True when `password` matches the bcrypt hash; a malformed hash is a mismatch, not an error. */
export async function verifyBcrypt(hashed: string, password: string): Promise<boolean> {
  if (!isBcryptHash(hashed)) return false;
  try {
    // bcrypt costs as much CPU as argon2 at PocketBase's cost 10+: it waits for the same slots.
    return await hashSlots.run(async () => (await bcrypt()).verify(password, hashed));
  } catch {
    return false;
  }
}
