// Tokens: PocketBase's claims, HS256 with tokenKey + collection secret, and every way a token must fail.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../../src/app.js';
import { TokenConfig } from '../../../src/core/auth/token-config.js';
import { TokenService } from '../../../src/core/auth/tokens.js';
import { SUPERUSER } from '../../../src/core/records/index.js';
import { Params } from '../../../src/core/settings/params.js';
import { memberCollection } from '../../helpers/auth.js';
import { tempApp, type TempDirs } from '../../helpers/temp-app.js';

const GIVEN_SECRET = 'a-secret-given-in-the-collection-file-0123456789';

let app: SatchelApp;
let dirs: TempDirs;
let cleanup: () => Promise<void>;
let member: Record<string, unknown>;
let staffer: Record<string, unknown>;

const collection = (name: string) => app.engine.collections.find(name)!;
const services = new WeakMap<SatchelApp, TokenService>();
/** The token service under test, over the app's store and records (the auth service keeps its own private). */
const tokens = () => {
  let service = services.get(app);
  if (!service) {
    service = new TokenService(new TokenConfig(new Params(app.engine.store)), app.engine.records);
    services.set(app, service);
  }
  return service;
};
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

beforeAll(async () => {
  ({ app, dirs, cleanup } = await tempApp(
    [
      memberCollection('members'),
      memberCollection('staff'),
      memberCollection('vault', { authToken: { secret: GIVEN_SECRET, duration: 120 } }),
    ],
    { rateLimit: false },
  ));
  const create = (c: string, email: string) =>
    app.engine.records.create(c, { email, password: 'password123', passwordConfirm: 'password123' }, SUPERUSER);
  member = await create('members', 'ann@example.com');
  staffer = await create('staff', 'bob@example.com');
  await create('vault', 'vic@example.com');
});
afterAll(async () => {
  await app.close();
  await cleanup();
});

/** The stored record, hidden fields included (the token key lives there). */
const stored = async (c: string, id: unknown) =>
  (await app.engine.store.one(`SELECT * FROM "${c}" WHERE id = ?`, [id])) as Record<string, string>;

describe('issued tokens', () => {
  it('are HS256 JWTs with id, type, collectionId, refreshable and exp as PocketBase puts them', async () => {
    const token = await tokens().issue(collection('members'), await stored('members', member.id), 'auth', {
      refreshable: true,
    });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'HS256', typ: 'JWT' });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      id: member.id,
      type: 'auth',
      collectionId: collection('members').id,
      refreshable: true,
    });
    // Auth tokens last PocketBase's default 5 days unless the collection says otherwise.
    expect(claims.exp! - now()).toBeGreaterThan(432000 - 5);
    expect(claims.exp! - now()).toBeLessThanOrEqual(432000);
  });

  it('last as long as the collection file says', async () => {
    const vic = await stored('vault', (await app.engine.records.list('vault', {}, SUPERUSER)).items[0]!.id);
    const claims = decodeJwt(await tokens().issue(collection('vault'), vic, 'auth'));
    expect(claims.exp! - now()).toBeLessThanOrEqual(120);
    expect(claims.exp! - now()).toBeGreaterThan(110);
  });

  it('verify back to their record, with the hidden fields the rules may need', async () => {
    const token = await tokens().issue(collection('members'), await stored('members', member.id), 'auth');
    const found = await tokens().verify(token, 'auth');
    expect(found?.record.id).toBe(member.id);
    expect(found?.collection.name).toBe('members');
    const access = await app.engine.auth.authenticate(token);
    expect(access.auth).toMatchObject({ id: member.id, collectionName: 'members' });
    expect(access.auth?.record.email).toBe('ann@example.com');
    // Never the secrets of the record.
    expect(access.auth?.record).not.toHaveProperty('password');
    expect(access.auth?.record).not.toHaveProperty('tokenKey');
    expect(access.superuser).toBe(false);
  });
});

describe('tokens that must fail', () => {
  let good: string;
  beforeAll(async () => {
    good = await tokens().issue(collection('members'), await stored('members', member.id), 'auth', {
      refreshable: true,
    });
  });

  it('alg "none" with the same claims', async () => {
    const forged = `${b64({ alg: 'none', typ: 'JWT' })}.${good.split('.')[1]}.`;
    expect(await tokens().verify(forged, 'auth')).toBeUndefined();
    expect((await app.engine.auth.authenticate(forged)).auth).toBeNull();
  });

  it('an altered payload (another record id) under the original signature', async () => {
    const [header, , signature] = good.split('.');
    const payload = { ...decodeJwt(good), id: staffer.id };
    expect(await tokens().verify(`${header}.${b64(payload)}.${signature}`, 'auth')).toBeUndefined();
  });

  it('a payload moved to another collection under the original signature', async () => {
    const [header, , signature] = good.split('.');
    const payload = { ...decodeJwt(good), collectionId: collection('staff').id };
    expect(await tokens().verify(`${header}.${b64(payload)}.${signature}`, 'auth')).toBeUndefined();
  });

  it('a flipped signature byte', async () => {
    const last = good.at(-2) === 'A' ? 'B' : 'A';
    expect(await tokens().verify(`${good.slice(0, -2)}${last}${good.at(-1)}`, 'auth')).toBeUndefined();
  });

  it('a token of another type (a verification token used as an auth token)', async () => {
    const record = await stored('members', member.id);
    const verification = await tokens().issue(collection('members'), record, 'verification', { email: record.email });
    expect(await tokens().verify(verification, 'auth')).toBeUndefined();
    expect(await tokens().verify(verification, 'verification')).toBeDefined();
  });

  it('expired, though correctly signed with the right key', async () => {
    const record = await stored('members', member.id);
    const secret = (await app.engine.store.one('SELECT value FROM _params WHERE id = ?', [
      `tokenSecret:${collection('members').id}:auth`,
    ])) as { value: string };
    const key = new TextEncoder().encode(record.tokenKey + JSON.parse(secret.value));
    const sign = (exp: number) =>
      new SignJWT({ id: record.id, type: 'auth', collectionId: collection('members').id, refreshable: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setExpirationTime(exp)
        .sign(key);
    // The same recipe with a future exp passes, so only the expiry fails the other.
    expect(await tokens().verify(await sign(now() + 60), 'auth')).toBeDefined();
    expect(await tokens().verify(await sign(now() - 1), 'auth')).toBeUndefined();
  });

  it('without exp', async () => {
    const record = await stored('members', member.id);
    const secret = JSON.parse(
      (
        (await app.engine.store.one('SELECT value FROM _params WHERE id = ?', [
          `tokenSecret:${collection('members').id}:auth`,
        ])) as { value: string }
      ).value,
    );
    const forever = await new SignJWT({ id: record.id, type: 'auth', collectionId: collection('members').id })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode(record.tokenKey + secret));
    expect(await tokens().verify(forever, 'auth')).toBeUndefined();
  });

  it('garbage', async () => {
    for (const junk of ['', 'x', 'a.b.c', 'Bearer', '....', `${b64({ alg: 'HS256' })}.e30.`]) {
      expect(await tokens().verify(junk, 'auth')).toBeUndefined();
    }
  });

  it('signed before the record changed its token key (a new password)', async () => {
    const old = await tokens().issue(collection('members'), await stored('members', member.id), 'auth');
    await app.engine.records.update(
      'members',
      String(member.id),
      { password: 'another-pass-1', passwordConfirm: 'another-pass-1' },
      SUPERUSER,
    );
    expect(await tokens().verify(old, 'auth')).toBeUndefined();
    expect(
      await tokens().verify(
        await tokens().issue(collection('members'), await stored('members', member.id), 'auth'),
        'auth',
      ),
    ).toBeDefined();
  });
});

describe('secrets', () => {
  it('are generated once per collection and type into _params, never into the collection files', async () => {
    const rows = (await app.engine.store.all("SELECT id, value FROM _params WHERE id LIKE 'tokenSecret:%'")) as {
      id: string;
      value: string;
    }[];
    const members = rows.filter((r) => r.id.startsWith(`tokenSecret:${collection('members').id}:`)).map((r) => r.id);
    expect(members.sort()).toEqual([
      `tokenSecret:${collection('members').id}:auth`,
      `tokenSecret:${collection('members').id}:verification`,
    ]);
    for (const row of rows) expect(JSON.parse(row.value)).toMatch(/^[A-Za-z0-9]{50}$/);
    const files = readdirSync(dirs.collectionsDir).map((f) => readFileSync(join(dirs.collectionsDir, f), 'utf8'));
    for (const row of rows) for (const file of files) expect(file).not.toContain(JSON.parse(row.value));
    // A different secret per collection and per type.
    expect(new Set(rows.map((r) => r.value)).size).toBe(rows.length);
  });

  it('given in the collection file are used as they are (and not stored)', async () => {
    const vic = await stored('vault', (await app.engine.records.list('vault', {}, SUPERUSER)).items[0]!.id);
    const handMade = await new SignJWT({ id: vic.id, type: 'auth', collectionId: collection('vault').id })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(now() + 60)
      .sign(new TextEncoder().encode(vic.tokenKey + GIVEN_SECRET));
    expect(await tokens().verify(handMade, 'auth')).toBeDefined();
    const row = await app.engine.store.one('SELECT 1 AS found FROM _params WHERE id = ?', [
      `tokenSecret:${collection('vault').id}:auth`,
    ]);
    expect(row).toBeUndefined();
  });

  it('survive a restart: a token issued before still verifies after', async () => {
    const token = await tokens().issue(collection('staff'), await stored('staff', staffer.id), 'auth');
    await app.close();
    const { createApp } = await import('../../../src/app.js');
    app = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, rateLimit: false });
    expect((await app.engine.auth.authenticate(token)).auth?.id).toBe(staffer.id);
  });
});
