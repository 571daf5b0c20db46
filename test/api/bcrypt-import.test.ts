// Users of an imported PocketBase database keep their passwords: a bcrypt hash as PocketBase stores it signs in
// through the official SDK and is replaced by argon2id on that sign-in; a wrong password changes nothing.
import { hashSync } from '@node-rs/bcrypt';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { memberCollection } from '../helpers/auth.js';
import { sdkApp } from '../helpers/sdk-app.js';

// A hash of "123456" written by Go's golang.org/x/crypto/bcrypt at cost 10 (PocketBase's own docs show it).
const GO_HASH_OF_123456 = '$2a$10$.5Elh8fgxypNUWhpUUr/xOa2sZm0VIaE0qWuGGl9otUfobb46T1Pq';

let app: SatchelApp;
let guest: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  let admin: PocketBase;
  ({ app, pb: admin, cleanup: done } = await sdkApp([memberCollection('members')], { rateLimit: false }));
  guest = new PocketBase(admin.baseURL).autoCancellation(false);
});

afterAll(() => done());

/** Inserts a member row as a PocketBase import would leave it, with `hash` as its password. */
async function importMember(id: string, email: string, hash: string): Promise<void> {
  await app.store.run(
    'INSERT INTO "members" ("id", "email", "emailVisibility", "verified", "password", "tokenKey", "created", "updated") VALUES (?, ?, FALSE, TRUE, ?, ?, ?, ?)',
    [id, email, hash, `key-${id}-0123456789abcdef`, '2024-01-01 00:00:00.000Z', '2024-01-01 00:00:00.000Z'],
  );
}

const storedHash = async (id: string) =>
  (await app.store.one<{ password: string }>('SELECT "password" FROM "members" WHERE "id" = ?', [id]))!.password;

const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => (e as ClientResponseError).status,
  );

describe('bcrypt hashes from PocketBase', () => {
  it('a $2a$ hash written by Go signs in, and the sign-in upgrades it to argon2id', async () => {
    await importMember('imported0000001', 'go@example.com', GO_HASH_OF_123456);
    expect(await status(guest.collection('members').authWithPassword('go@example.com', '1234567'))).toBe(400);
    expect(await storedHash('imported0000001')).toBe(GO_HASH_OF_123456);

    const auth = await guest.collection('members').authWithPassword('go@example.com', '123456');
    expect(auth.record.id).toBe('imported0000001');
    expect(auth.record.password).toBeUndefined();
    const upgraded = await storedHash('imported0000001');
    expect(upgraded).toMatch(/^\$argon2id\$/);

    // The same password keeps working on the new hash; the token issued before the upgrade is still valid.
    guest.authStore.save(auth.token, auth.record);
    expect((await guest.collection('members').authRefresh()).record.id).toBe('imported0000001');
    guest.authStore.clear();
    expect((await guest.collection('members').authWithPassword('go@example.com', '123456')).record.id).toBe(
      'imported0000001',
    );
    expect(await storedHash('imported0000001')).toBe(upgraded);
    expect(await status(guest.collection('members').authWithPassword('go@example.com', '1234567'))).toBe(400);
  });

  it('a $2b$ hash of cost 12 signs in and is upgraded; a wrong password leaves it as it is', async () => {
    const hash = hashSync('imported-secret-9', 12);
    expect(hash).toMatch(/^\$2b\$12\$/);
    await importMember('imported0000002', 'b12@example.com', hash);
    expect(await status(guest.collection('members').authWithPassword('b12@example.com', 'imported-secret-8'))).toBe(
      400,
    );
    expect(await storedHash('imported0000002')).toBe(hash);
    await guest.collection('members').authWithPassword('b12@example.com', 'imported-secret-9');
    expect(await storedHash('imported0000002')).toMatch(/^\$argon2id\$/);
    guest.authStore.clear();
    expect(await status(guest.collection('members').authWithPassword('b12@example.com', 'imported-secret-9'))).toBe(
      200,
    );
  });

  it('a malformed hash is a failed sign-in, not an error', async () => {
    await importMember('imported0000003', 'odd@example.com', '$2a$10$short');
    expect(await status(guest.collection('members').authWithPassword('odd@example.com', 'anything'))).toBe(400);
    expect(await storedHash('imported0000003')).toBe('$2a$10$short');
  });
});
