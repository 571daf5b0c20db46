// Attacks on sign-in and tokens beyond test/core/auth/tokens.test.ts: tokens of another collection or secret,
// one-time tokens used for the wrong flow, sign-in timing that could tell known identities, brute force.
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { memberCollection } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;
let annId = '';

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([memberCollection('members'), memberCollection('staff')]));
  const ann = await app.records.create(
    'members',
    { email: 'ann@example.com', password: 'ann-password-1', passwordConfirm: 'ann-password-1' },
    SUPERUSER,
  );
  annId = String(ann.id);
  await app.records.create(
    'staff',
    { email: 'sam@example.com', password: 'sam-password-1', passwordConfirm: 'sam-password-1' },
    SUPERUSER,
  );
});
afterAll(() => cleanup());

const members = () => app.records.collection('members');
const stored = async (collection: string, id: string) =>
  (await app.records.storedById(app.records.collection(collection), id))!;
const whoAmI = async (token: string) => (await app.auth.authenticate(token)).auth?.id ?? 'guest';

describe('tokens signed with the wrong key', () => {
  it("a token with the right claims signed with another collection's secret is a guest", async () => {
    const sam = (await app.records.storedByField(app.records.collection('staff'), 'email', 'sam@example.com'))!;
    const samToken = await app.auth.issueToken(app.records.collection('staff'), sam, 'auth');
    expect(await whoAmI(samToken)).toBe(sam.id);
    // Sam knows the staff secret only through his own token; a forged member token signed with a guess fails.
    const ann = await stored('members', annId);
    for (const key of [String(sam.tokenKey), String(ann.tokenKey), 'secret', '']) {
      const forged = await new SignJWT({ id: annId, type: 'auth', collectionId: members().id, refreshable: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(key || 'x'));
      expect(await whoAmI(forged)).toBe('guest');
    }
  });

  it("another collection's token does not refresh as this collection's record", async () => {
    const sam = (await app.records.storedByField(app.records.collection('staff'), 'email', 'sam@example.com'))!;
    const token = await app.auth.issueToken(app.records.collection('staff'), sam, 'auth', { refreshable: true });
    const res = await send(app, {
      method: 'POST',
      url: '/api/collections/members/auth-refresh',
      headers: { authorization: token },
    });
    expect(res.status).toBe(403);
  });
});

describe('one-time tokens in the wrong flow', () => {
  it('a password-reset token does not verify, and a verification token does not reset a password', async () => {
    const ann = await stored('members', annId);
    const reset = await app.auth.issueToken(members(), ann, 'passwordReset', { email: 'ann@example.com' });
    const verify = await app.auth.issueToken(members(), ann, 'verification', { email: 'ann@example.com' });
    const post = (path: string, body: object) =>
      send(app, { method: 'POST', url: `/api/collections/members/${path}`, body });
    const asVerification = await post('confirm-verification', { token: reset });
    expect(asVerification.status).toBe(400);
    const asReset = await post('confirm-password-reset', {
      token: verify,
      password: 'taken-over-1',
      passwordConfirm: 'taken-over-1',
    });
    expect(asReset.status).toBe(400);
    const asAuth = await send(app, { url: '/api/collections/members/records', headers: { authorization: reset } });
    expect(((await asAuth.json()) as any).items).toBeDefined();
    expect(await whoAmI(reset)).toBe('guest');
    // Nothing changed: still unverified, the old password still signs in.
    expect((await stored('members', annId)).verified).toBe(false);
    const signIn = await post('auth-with-password', { identity: 'ann@example.com', password: 'ann-password-1' });
    expect(signIn.status).toBe(200);
  });
});

describe('sign-in timing', () => {
  it('a wrong password for a known identity takes as long as one for an unknown identity', async () => {
    const attempt = async (identity: string) => {
      const started = performance.now();
      const res = await app.hono.request('/api/collections/staff/auth-with-password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity, password: 'not-the-password' }),
      });
      expect(res.status).toBe(400);
      return performance.now() - started;
    };
    const known: number[] = [];
    const unknown: number[] = [];
    // Alternated, so a busy moment of the machine lands on both sides. (staff has its own rate-limit window.)
    for (let i = 0; i < 8; i++) {
      known.push(await attempt('sam@example.com'));
      unknown.push(await attempt(`nobody${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(known) / median(unknown);
    // Both pay one argon2 verification (tens of milliseconds); a lookup-only failure would be 10x faster.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('brute force', () => {
  it('guessing passwords, or trying many identities, from one address is throttled with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await app.hono.request('/api/collections/members/auth-with-password', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: i % 2 ? 'ann@example.com' : `guess${i}@example.com`, password: `guess-${i}` }),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});
