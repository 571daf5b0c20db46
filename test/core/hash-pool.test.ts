// The hashing threads: every job answers (in any order of completion), a bad job fails alone, and a pool whose
// threads cannot load the library says so (argon2.ts then falls back to libuv's pool).
import { createRequire } from 'node:module';
import { verify } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { HashPool } from '../../src/core/passwords/hash-pool.js';
import { hashPassword, verifyPassword } from '../../src/core/passwords/argon2.js';

const library = createRequire(import.meta.url).resolve('@node-rs/argon2');
// Cheap parameters: the pool's behaviour, not argon2's cost, is under test.
const options = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

describe('HashPool', () => {
  it('answers every job with its own result, a bad job failing alone', async () => {
    const pool = new HashPool(2, library);
    const passwords = Array.from({ length: 9 }, (_, i) => `password-${i}`);
    const hashes = (await Promise.all(
      passwords.map((password) => pool.run({ op: 'hash', password, options })),
    )) as string[];
    for (const [i, hash] of hashes.entries()) {
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=1024,t=1,p=1\$/);
      expect(await verify(hash, passwords[i]!)).toBe(true);
    }
    await expect(pool.run({ op: 'verify', hash: 'not a hash', password: 'x' })).rejects.toThrow();
    expect(await pool.run({ op: 'verify', hash: hashes[3]!, password: 'password-3' })).toBe(true);
    expect(await pool.run({ op: 'verify', hash: hashes[3]!, password: 'password-4' })).toBe(false);
    expect(pool.broken).toBe(false);
  });

  it('is marked broken when its threads cannot load the library', async () => {
    const pool = new HashPool(1, '/nonexistent/argon2.node');
    await expect(pool.run({ op: 'hash', password: 'x', options })).rejects.toThrow();
    expect(pool.broken).toBe(true);
  });

  it('serves hashPassword and verifyPassword with Satchel’s parameters', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse')).toBe(true);
    expect(await verifyPassword(hash, 'wrong horse')).toBe(false);
    expect(await verifyPassword('$argon2id$broken', 'x')).toBe(false);
  });
});
