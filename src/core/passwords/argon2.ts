// Password hashing with argon2id on threads of its own (hash-pool.ts), so hashing never blocks the event loop;
// on libuv's pool behind a slot limit if those threads cannot run.
import type * as Argon2 from '@node-rs/argon2';
import { hashPool } from './hash-pool.js';
import { hashSlots } from './hash-slots.js';

// Loaded on the first password operation: a server that never sees one keeps the memory.
let library: Promise<typeof Argon2> | undefined;
const argon2 = () => (library ??= import('@node-rs/argon2'));

// OWASP's argon2id baseline: 19 MiB of memory, 2 passes, 1 lane.
export const HASH_OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Hashes a password into a PHC string (`$argon2id$...`). */
export async function hashPassword(password: string): Promise<string> {
  if (!hashPool.broken) {
    try {
      return (await hashPool.run({ op: 'hash', password, options: { ...HASH_OPTIONS } })) as string;
    } catch (err) {
      if (!hashPool.broken) throw err;
    }
  }
  return hashSlots.run(async () => (await argon2()).hash(password, HASH_OPTIONS));
}

/** True when `password` matches the PHC hash; a malformed hash is a mismatch, not an error. */
export async function verifyPassword(hashed: string, password: string): Promise<boolean> {
  if (!hashed.startsWith('$argon2')) return false;
  try {
    if (!hashPool.broken) {
      try {
        return (await hashPool.run({ op: 'verify', hash: hashed, password })) as boolean;
      } catch (err) {
        if (!hashPool.broken) throw err;
      }
    }
    return await hashSlots.run(async () => (await argon2()).verify(hashed, password));
  } catch {
    return false;
  }
}

// A real hash of a random password, made with HASH_OPTIONS: verifying against it costs what a real check costs.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$Qpsw6F90V67PjR2SujMvYQ$diwSk2ih8N8MZVXtJ+IJacUR2al7YvEU5qsOF3pMlLI';

/** Spends the time of one verification and fails: for sign-ins whose identity matches no record. */
export async function verifyNothing(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
