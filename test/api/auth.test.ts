// Sign-in, refresh, auth methods and what a token grants, over HTTP (app.request, no port).
import { readFileSync } from 'node:fs';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { memberCollection, signIn, signUp } from '../helpers/auth.js';
import { runScenario, send, type Scenario } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

const usersDefinition = JSON.parse(readFileSync(new URL('../../collections/users.json', import.meta.url), 'utf8'));

let app: SatchelApp;
let cleanup: () => Promise<void>;
let ann: any; // members: ann@example.com / Ann_1
let superToken: string;
let annToken: string;

const FAILED = { status: 400, message: 'Failed to authenticate.', data: {} };

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      usersDefinition,
      memberCollection('members'),
      memberCollection('staff'),
      memberCollection('gated', { authRule: 'verified = true' }),
      memberCollection('locked', { authRule: null }),
      memberCollection('nopassword', { passwordAuth: { enabled: false } }),
      { name: 'posts', fields: [{ name: 'title', type: 'text' }] }, // every rule locked
    ],
    { rateLimit: false },
  ));
  await app.auth.upsertSuperuser('root@example.com', 'root-password');
  superToken = (await signIn(app, '_superusers', 'root@example.com', 'root-password')).token;
  ann = await signUp(app, 'members', { email: 'ann@example.com', username: 'Ann_1', password: 'ann-password' });
  await signUp(app, 'staff', { email: 'bob@example.com', username: 'bob_1', password: 'bob-password' });
  annToken = (await signIn(app, 'members', 'ann@example.com', 'ann-password')).token;
  for (const c of ['gated', 'locked', 'nopassword']) {
    await signUp(app, c, { email: 'cal@example.com', username: 'cal_1', password: 'cal-password' });
  }
  await signUp(app, 'users', { email: 'Dee@Example.com', username: 'dee.user', password: 'dee-password' });
});
afterAll(() => cleanup());

const signInRow = (
  name: string,
  collection: string,
  body: object,
  status: number,
  check?: (j: any) => void,
): Scenario => ({
  name,
  method: 'POST',
  url: `/api/collections/${collection}/auth-with-password`,
  body,
  status,
  check,
  // Neither a password (hash) value nor the token key ever leaves the server.
  notContains: ['"password":"', 'tokenKey', '$argon2'],
});

describe('auth-with-password', () => {
  const rows: Scenario[] = [
    signInRow('by e-mail', 'members', { identity: 'ann@example.com', password: 'ann-password' }, 200, (j) => {
      expect(Object.keys(j).sort()).toEqual(['record', 'token']);
      expect(j.record).toMatchObject({
        id: ann.id,
        collectionName: 'members',
        email: 'ann@example.com',
        username: 'Ann_1',
      });
      // The record's own e-mail is shown though emailVisibility is false.
      expect(j.record.emailVisibility).toBe(false);
      expect(decodeJwt(j.token)).toMatchObject({ id: ann.id, type: 'auth', refreshable: true });
    }),
    signInRow(
      'by e-mail in another case',
      'members',
      { identity: 'ANN@Example.COM', password: 'ann-password' },
      200,
      (j) => expect(j.record.id).toBe(ann.id),
    ),
    signInRow('by username, case-insensitive', 'members', { identity: 'ann_1', password: 'ann-password' }, 200, (j) =>
      expect(j.record.id).toBe(ann.id),
    ),
    signInRow(
      'by a named identity field',
      'members',
      { identity: 'Ann_1', password: 'ann-password', identityField: 'username' },
      200,
    ),
    signInRow('users.json: username identity', 'users', { identity: 'DEE.USER', password: 'dee-password' }, 200, (j) =>
      expect(j.record).toMatchObject({
        email: 'Dee@Example.com',
        username: 'dee.user',
        collectionId: '_pb_users_auth_',
      }),
    ),
    signInRow('users.json: e-mail identity', 'users', { identity: 'dee@example.com', password: 'dee-password' }, 200),
    signInRow('collection by id', '_pb_users_auth_', { identity: 'dee@example.com', password: 'dee-password' }, 200),
    signInRow('wrong password', 'members', { identity: 'ann@example.com', password: 'nope-nope' }, 400, (j) =>
      expect(j).toEqual(FAILED),
    ),
    signInRow('unknown e-mail', 'members', { identity: 'zed@example.com', password: 'ann-password' }, 400, (j) =>
      expect(j).toEqual(FAILED),
    ),
    signInRow('unknown username', 'members', { identity: 'zed', password: 'ann-password' }, 400, (j) =>
      expect(j).toEqual(FAILED),
    ),
    signInRow(
      'an e-mail looked up as username',
      'members',
      { identity: 'ann@example.com', password: 'ann-password', identityField: 'username' },
      400,
      (j) => expect(j).toEqual(FAILED),
    ),
    signInRow(
      'a record of another auth collection',
      'staff',
      { identity: 'ann@example.com', password: 'ann-password' },
      400,
      (j) => expect(j).toEqual(FAILED),
    ),
    signInRow(
      'a field that is not an identity field',
      'members',
      { identity: 'x', password: 'y', identityField: 'id' },
      400,
      (j) => expect(j.data.identityField.code).toBe('validation_in_invalid'),
    ),
    signInRow('blank identity and password', 'members', {}, 400, (j) => {
      expect(j.message).toBe('An error occurred while validating the submitted data.');
      expect(j.data).toEqual({
        identity: { code: 'validation_required', message: 'Cannot be blank.' },
        password: { code: 'validation_required', message: 'Cannot be blank.' },
      });
    }),
    signInRow(
      '_superusers by e-mail',
      '_superusers',
      { identity: 'root@example.com', password: 'root-password' },
      200,
      (j) => {
        expect(j.record).toMatchObject({
          collectionId: 'pbc_3142635823',
          collectionName: '_superusers',
          email: 'root@example.com',
        });
        // Superuser tokens last one day.
        expect(decodeJwt(j.token).exp! - Date.now() / 1000).toBeLessThanOrEqual(86400);
      },
    ),
    signInRow(
      '_superusers: a member cannot sign in there',
      '_superusers',
      { identity: 'ann@example.com', password: 'ann-password' },
      400,
    ),
    signInRow(
      'authRule "verified = true" refuses an unverified record',
      'gated',
      { identity: 'cal_1', password: 'cal-password' },
      403,
      (j) => expect(j.message).toBe("The request doesn't satisfy the collection requirements to authenticate."),
    ),
    signInRow('authRule null refuses everyone', 'locked', { identity: 'cal_1', password: 'cal-password' }, 403),
    signInRow(
      'authRule null: wrong password is still the uniform 400',
      'locked',
      { identity: 'cal_1', password: 'wrong-one' },
      400,
    ),
    signInRow('password auth disabled', 'nopassword', { identity: 'cal_1', password: 'cal-password' }, 403, (j) =>
      expect(j.message).toBe('The collection is not configured to allow password authentication.'),
    ),
    signInRow('a base collection', 'posts', { identity: 'x', password: 'y' }, 404, (j) =>
      expect(j.message).toBe('Missing or invalid auth collection context.'),
    ),
    signInRow('an unknown collection', 'nosuch', { identity: 'x', password: 'y' }, 404),
  ];
  for (const row of rows) it(row.name, () => runScenario(app, row));

  it('a form body signs in too', async () => {
    const form = new URLSearchParams({ identity: 'ann@example.com', password: 'ann-password' });
    const res = await send(app, {
      method: 'POST',
      url: '/api/collections/members/auth-with-password',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(res.status).toBe(200);
  });

  it('authRule "verified = true" admits the record once a superuser has verified it', async () => {
    const cal = (
      await send(app, { url: '/api/collections/gated/records', headers: { authorization: superToken } }).then(
        (r) => r.json() as Promise<any>,
      )
    ).items[0];
    await runScenario(app, {
      name: 'superuser sets verified',
      method: 'PATCH',
      url: `/api/collections/gated/records/${cal.id}`,
      headers: { authorization: superToken },
      body: { verified: true },
      status: 200,
      check: (j) => expect(j.verified).toBe(true),
    });
    await runScenario(app, signInRow('now admitted', 'gated', { identity: 'cal_1', password: 'cal-password' }, 200));
  });

  it('an unknown identity costs an argon2 verification, like a wrong password', async () => {
    const time = async (identity: string) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const start = performance.now();
        await send(app, {
          method: 'POST',
          url: '/api/collections/members/auth-with-password',
          body: { identity, password: 'wrong-password' },
        });
        runs.push(performance.now() - start);
      }
      return runs.sort((a, b) => a - b)[2]!;
    };
    const known = await time('ann@example.com');
    const unknown = await time('nobody@example.com');
    // Without the dummy verification the unknown identity would answer in well under a millisecond.
    expect(unknown).toBeGreaterThan(known / 3);
  });
});

describe('auth-refresh', () => {
  const refresh = (
    name: string,
    collection: string,
    token: string | undefined,
    status: number,
    check?: (j: any) => void,
  ): Scenario => ({
    name,
    method: 'POST',
    url: `/api/collections/${collection}/auth-refresh`,
    headers: token === undefined ? {} : { authorization: token },
    status,
    check,
  });
  it('answers a new token and the record', async () => {
    const j = await runScenario(app, refresh('refresh', 'members', annToken, 200));
    expect(j.record).toMatchObject({ id: ann.id, email: 'ann@example.com' });
    const check = await runScenario(app, refresh('the new token works', 'members', `Bearer ${j.token}`, 200));
    expect(check.record.id).toBe(ann.id);
  });
  const rows = () => [
    refresh('without a token: 401', 'members', undefined, 401, (j) =>
      expect(j.message).toBe('The request requires valid record authorization token.'),
    ),
    refresh('with a garbage token: 401', 'members', 'not-a-token', 401),
    // PocketBase's RequireSameCollectionContextAuth names the caller's own collection.
    refresh('with a token of another collection: 403', 'staff', annToken, 403, (j) =>
      expect(j.message).toBe('The request requires auth record from members collection.'),
    ),
    refresh('a superuser token on a members route: 403', 'members', superToken, 403),
    // The same-collection check runs before the collection is looked up, as in PocketBase.
    refresh('a base collection: 403', 'posts', annToken, 403),
    refresh('a base collection as a guest: 401', 'posts', undefined, 401),
  ];
  it('refuses what it must', async () => {
    for (const row of rows()) await runScenario(app, row);
  });
  it('a token that is not refreshable comes back as it is, with the record (as PocketBase answers)', async () => {
    const members = app.engine.collections.find('members')!;
    const record = (await app.engine.store.one('SELECT * FROM members WHERE id = ?', [ann.id]))!;
    const token = await app.auth.issueToken(members, record, 'auth', { refreshable: false });
    await runScenario(
      app,
      refresh('not refreshable', 'members', token, 200, (j) => {
        expect(j.token).toBe(token);
        expect(j.record.id).toBe(ann.id);
      }),
    );
  });
});

describe('auth-methods', () => {
  const methods = (collection: string, status: number, check?: (j: any) => void): Scenario => ({
    name: `auth-methods of ${collection}`,
    url: `/api/collections/${collection}/auth-methods`,
    status,
    check,
  });
  const rows: Scenario[] = [
    methods('users', 200, (j) =>
      expect(j).toEqual({
        password: { identityFields: ['email', 'username'], enabled: true },
        oauth2: { providers: [], enabled: false },
        mfa: { enabled: false, duration: 0 },
        otp: { enabled: false, duration: 0 },
        authProviders: [],
        usernamePassword: true,
        emailPassword: true,
      }),
    ),
    methods('_superusers', 200, (j) => {
      expect(j.password).toEqual({ identityFields: ['email'], enabled: true });
      expect(j).toMatchObject({ usernamePassword: false, emailPassword: true });
    }),
    methods('nopassword', 200, (j) => {
      expect(j.password).toEqual({ identityFields: [], enabled: false });
      expect(j).toMatchObject({ usernamePassword: false, emailPassword: false });
    }),
    methods('posts', 404),
  ];
  for (const row of rows) it(row.name, () => runScenario(app, row));
});

describe('what a token grants', () => {
  it('an invalid token on a route open to guests is a guest, not an error', async () => {
    for (const authorization of ['garbage', 'Bearer garbage', `${annToken}x`]) {
      await runScenario(app, {
        name: authorization,
        url: '/api/collections/members/records',
        headers: { authorization },
        status: 200,
      });
    }
  });

  it('a superuser passes locked rules; members and guests do not', async () => {
    const list = (authorization?: string) => ({
      name: `list posts as ${authorization ?? 'guest'}`,
      url: '/api/collections/posts/records',
      headers: authorization ? { authorization } : ({} as Record<string, string>),
    });
    await runScenario(app, { ...list(superToken), status: 200 });
    await runScenario(app, { ...list(`Bearer ${superToken}`), status: 200 });
    await runScenario(app, { ...list(annToken), status: 403 });
    await runScenario(app, { ...list(), status: 403 });
    await runScenario(app, {
      name: 'superuser creates in a locked collection',
      method: 'POST',
      url: '/api/collections/posts/records',
      headers: { authorization: superToken },
      body: { title: 'by root' },
      status: 200,
    });
    await runScenario(app, {
      name: 'members cannot list superusers',
      url: '/api/collections/_superusers/records',
      headers: { authorization: annToken },
      status: 403,
    });
    await runScenario(app, {
      name: 'superusers list superusers',
      url: '/api/collections/_superusers/records',
      headers: { authorization: superToken },
      status: 200,
      check: (j) => expect(j.items.map((i: any) => i.email)).toEqual(['root@example.com']),
    });
  });

  it('the record is shown with its e-mail to itself and to superusers, not to others', async () => {
    const view = (authorization: string) =>
      send(app, { url: `/api/collections/members/records/${ann.id}`, headers: { authorization } }).then(
        (r) => r.json() as Promise<any>,
      );
    expect((await view(annToken)).email).toBe('ann@example.com');
    expect((await view(superToken)).email).toBe('ann@example.com');
    const bobInMembers = await signUp(app, 'members', { email: 'bob2@example.com', password: 'bob2-password' });
    const bob2Token = (await signIn(app, 'members', 'bob2@example.com', 'bob2-password')).token;
    expect(bobInMembers).not.toHaveProperty('email');
    expect(await view(bob2Token)).not.toHaveProperty('email');
  });
});

describe('what a client cannot set', () => {
  it('verified and email: refused (400 naming them) from guests and from the record itself, as PocketBase; a superuser sets them', async () => {
    const mismatch = { code: 'validation_values_mismatch', message: "Values don't match." };
    const refusedSignUp = await send(app, {
      method: 'POST',
      url: '/api/collections/members/records',
      body: { email: 'eve@example.com', password: 'eve-password', passwordConfirm: 'eve-password', verified: true },
    });
    expect(refusedSignUp.status).toBe(400);
    expect(((await refusedSignUp.json()) as any).data.verified).toEqual(mismatch);
    const eve = await signUp(app, 'members', { email: 'eve@example.com', password: 'eve-password' });
    expect(eve.verified).toBe(false);
    const eveToken = (await signIn(app, 'members', 'eve@example.com', 'eve-password')).token;
    const patch = (authorization: string, body: Record<string, unknown>) =>
      send(app, {
        method: 'PATCH',
        url: `/api/collections/members/records/${eve.id}`,
        headers: { authorization },
        body,
      });
    const own = await patch(eveToken, { verified: true, email: '' });
    expect(own.status).toBe(400);
    expect(((await own.json()) as any).data).toEqual({ verified: mismatch, email: mismatch });
    // The same values as stored are no change: accepted.
    expect((await patch(eveToken, { verified: false, email: 'eve@example.com' })).status).toBe(200);
    expect(((await (await patch(superToken, { verified: true })).json()) as any).verified).toBe(true);
    const made = await signUp(
      app,
      'members',
      { email: 'fay@example.com', password: 'fay-password', verified: true },
      superToken,
    );
    expect(made.verified).toBe(true);
  });

  it('tokenKey: ignored', async () => {
    const key = 'k'.repeat(50);
    const gus = await signUp(app, 'members', { email: 'gus@example.com', password: 'gus-password', tokenKey: key });
    const stored = (await app.engine.store.one('SELECT "tokenKey" FROM members WHERE id = ?', [gus.id])) as {
      tokenKey: string;
    };
    expect(stored.tokenKey).not.toBe(key);
    expect(stored.tokenKey).toMatch(/^[A-Za-z0-9]{50}$/);
  });

  it('a password hash: taken as a plain password, never stored as given', async () => {
    // A real argon2 hash is longer than any password may be.
    const hash = '$argon2id$v=19$m=19456,t=2,p=1$Qpsw6F90V67PjR2SujMvYQ$diwSk2ih8N8MZVXtJ+IJacUR2al7YvEU5qsOF3pMlLI';
    await runScenario(app, {
      name: 'a full hash',
      method: 'POST',
      url: '/api/collections/members/records',
      body: { email: 'hal@example.com', password: hash, passwordConfirm: hash },
      status: 400,
      check: (j) => expect(j.data.password.code).toBe('validation_max_text_constraint'),
    });
    const lookalike = '$argon2id$v=19$m=19456,t=2,p=1$short';
    const hal = await signUp(app, 'members', { email: 'hal@example.com', password: lookalike });
    const stored = (await app.engine.store.one('SELECT password FROM members WHERE id = ?', [hal.id])) as {
      password: string;
    };
    expect(stored.password).not.toBe(lookalike);
    expect((await signIn(app, 'members', 'hal@example.com', lookalike)).record.id).toBe(hal.id);
  });

  it('a taken e-mail or username, in any case: validation_not_unique', async () => {
    for (const [body, field] of [
      [{ email: 'ANN@example.com', password: 'x-password' }, 'email'],
      [{ email: 'new1@example.com', username: 'ANN_1', password: 'x-password' }, 'username'],
    ] as const) {
      await runScenario(app, {
        name: `taken ${field}`,
        method: 'POST',
        url: '/api/collections/members/records',
        body: { ...body, passwordConfirm: body.password },
        status: 400,
        check: (j) =>
          expect(j.data[field]).toEqual({ code: 'validation_not_unique', message: 'Value must be unique.' }),
      });
    }
  });
});

describe('a new password signs the record out everywhere', () => {
  it('old tokens stop working, the new password signs in', async () => {
    const ivy = await signUp(app, 'members', { email: 'ivy@example.com', password: 'ivy-password' });
    const old = (await signIn(app, 'members', 'ivy@example.com', 'ivy-password')).token;
    await runScenario(app, {
      name: 'change the password',
      method: 'PATCH',
      url: `/api/collections/members/records/${ivy.id}`,
      headers: { authorization: old },
      body: { password: 'ivy-password-2', passwordConfirm: 'ivy-password-2', oldPassword: 'ivy-password' },
      status: 200,
    });
    await runScenario(app, {
      name: 'old token',
      method: 'POST',
      url: '/api/collections/members/auth-refresh',
      headers: { authorization: old },
      status: 401,
    });
    await expect(signIn(app, 'members', 'ivy@example.com', 'ivy-password')).rejects.toThrow('400');
    const fresh = (await signIn(app, 'members', 'ivy@example.com', 'ivy-password-2')).token;
    await runScenario(app, {
      name: 'new token',
      method: 'POST',
      url: '/api/collections/members/auth-refresh',
      headers: { authorization: fresh },
      status: 200,
    });
  });
});
