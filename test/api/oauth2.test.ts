// OAuth2 sign-in end to end: a real OpenID Connect provider (oidc-provider) on loopback, a real Satchel server
// and the official SDK: authWithOAuth2Code, linking, listExternalAuths / unlinkExternalAuth, the realtime popup
// flow through /api/oauth2-redirect, and the 400s of a replayed code, a wrong verifier, a wrong state, an unknown
// provider and a provider that answers garbage.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventSource } from 'eventsource';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberCollection } from '../helpers/auth.js';
import { oidcProvider, signInAtProvider, type OidcProvider } from '../helpers/oidc-provider.js';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';

(globalThis as { EventSource?: unknown }).EventSource = EventSource;

let provider: OidcProvider;
let broken: Server;
let brokenUrl: string;
let sdk: SdkApp;
let admin: PocketBase;
let callback: string;

const guest = () => new PocketBase(sdk.server.url).autoCancellation(false);

const refused = (p: Promise<unknown>): Promise<ClientResponseError> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as ClientResponseError,
  );

/** The SDK's auth-methods entry for a provider. */
async function providerInfo(pb: PocketBase, name = 'oidc', collection = 'users') {
  const methods = await pb.collection(collection).listAuthMethods();
  const info = methods.oauth2.providers.find((p) => p.name === name);
  if (!info) throw new Error(`no ${name} in auth-methods`);
  return info;
}

/** Signs `login` in at the provider as the app would send its user there; answers what authWithOAuth2Code needs. */
async function codeFor(pb: PocketBase, login: string, collection = 'users') {
  const info = await providerInfo(pb, 'oidc', collection);
  const back = await signInAtProvider(info.authURL + encodeURIComponent(callback), login);
  expect(back.searchParams.get('state')).toBe(info.state);
  return { code: back.searchParams.get('code')!, verifier: info.codeVerifier };
}

beforeAll(async () => {
  provider = await oidcProvider();
  provider.accounts.set('alice', {
    sub: 'alice',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    preferred_username: 'alice_l',
    picture: 'https://pictures.example.com/alice.png',
  });
  provider.accounts.set('bob', { sub: 'bob', email: 'bob@example.com', email_verified: true, name: 'Bob' });
  provider.accounts.set('eve', { sub: 'eve', email: 'eve@example.com', email_verified: false, name: 'Eve' });
  provider.accounts.set('dan', { sub: 'dan', email: 'dan@example.com', email_verified: true, name: 'Dan' });
  // A provider whose token endpoint answers an HTML page with 200.
  broken = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>'));
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;

  const oidc = { name: 'oidc', clientId: provider.clientId, clientSecret: provider.clientSecret };
  const users = memberCollection('users', {
    fields: [
      { name: 'username', type: 'text', min: 3, max: 150 },
      { name: 'name', type: 'text' },
      { name: 'avatar', type: 'url' },
    ],
    oauth2: {
      enabled: true,
      mappedFields: { name: 'name', username: 'username', avatarURL: 'avatar' },
      providers: [
        { ...oidc, displayName: 'Loopback ID', extra: { issuer: provider.issuer } },
        {
          name: 'oidc2',
          clientId: 'x',
          clientSecret: 'y',
          authURL: `${brokenUrl}/auth`,
          tokenURL: `${brokenUrl}/token`,
          userInfoURL: `${brokenUrl}/userinfo`,
        },
      ],
    },
  });
  // A collection whose sign-ups are closed: OAuth2 may sign in existing users only.
  const closed = memberCollection('staff', {
    createRule: null,
    oauth2: { enabled: true, providers: [{ ...oidc, extra: { issuer: provider.issuer } }] },
  });
  // MFA on: OAuth2 is the first factor, a password the second.
  const guarded = memberCollection('guarded', {
    mfa: { enabled: true, duration: 600 },
    oauth2: { enabled: true, providers: [{ ...oidc, extra: { issuer: provider.issuer } }] },
  });
  sdk = await sdkApp([users, closed, guarded], { rateLimit: false });
  admin = sdk.pb;
  callback = `${sdk.server.url}/callback`;
  provider.start([callback, `${sdk.server.url}/api/oauth2-redirect`]);
});

afterAll(async () => {
  await sdk?.cleanup();
  await provider?.close();
  broken?.closeAllConnections();
  await new Promise((resolve) => broken?.close(resolve));
});

describe('auth-methods and the collection options', () => {
  it('lists the providers with state, PKCE and an auth URL the SDK appends its redirect URL to', async () => {
    const methods = await guest().collection('users').listAuthMethods();
    expect(methods.oauth2.enabled).toBe(true);
    const info = methods.oauth2.providers.find((p) => p.name === 'oidc')!;
    expect(info.displayName).toBe('Loopback ID');
    expect(info.state).toMatch(/^[A-Za-z0-9]{30}$/);
    expect(info.codeVerifier).toMatch(/^[A-Za-z0-9]{43}$/);
    expect(info.codeChallengeMethod).toBe('S256');
    expect(info.authURL.startsWith(`${provider.issuer}/auth?`)).toBe(true);
    expect(info.authURL.endsWith('&redirect_uri=')).toBe(true);
    const query = new URL(info.authURL).searchParams;
    expect(query.get('client_id')).toBe(provider.clientId);
    expect(query.get('code_challenge')).toBe(info.codeChallenge);
    expect(query.get('scope')).toBe('openid email profile');
    expect(query.get('nonce')).toBeTruthy();
    // Two calls, two states and verifiers.
    expect((await providerInfo(guest())).state).not.toBe(info.state);
  });

  it('never shows a client secret: not in auth-methods, not in the collections API (superusers included)', async () => {
    const res = await fetch(`${sdk.server.url}/api/collections/users/auth-methods`);
    expect(await res.text()).not.toContain(provider.clientSecret);
    const collection = await admin.collections.getOne('users');
    expect(JSON.stringify(collection)).not.toContain(provider.clientSecret);
    expect((collection as unknown as { oauth2: { providers: object[] } }).oauth2.providers[0]).not.toHaveProperty(
      'clientSecret',
    );
    const list = await admin.collections.getFullList();
    expect(JSON.stringify(list)).not.toContain(provider.clientSecret);
  });

  it('a superuser update that sends the providers back without secrets keeps them', async () => {
    const collection = (await admin.collections.getOne('users')) as unknown as { oauth2: Record<string, unknown> };
    await admin.collections.update('users', { oauth2: collection.oauth2 });
    // Still signs in: the secret was kept.
    const { code, verifier } = await codeFor(guest(), 'dan');
    const auth = await guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    expect(auth.record.email).toBe('dan@example.com');
  });

  it("the auth scaffold carries PocketBase's oauth2 block (off), and a collection made from it loads", async () => {
    const { auth } = (await admin.collections.getScaffolds()) as Record<string, Record<string, unknown>>;
    expect(auth!.oauth2).toEqual({
      enabled: false,
      mappedFields: { id: '', name: '', username: '', avatarURL: '' },
      providers: [],
    });
    // (The scaffold's id is '', which the collections API refuses today: it is left out.)
    const { id: _id, ...scaffold } = auth!;
    const made = await admin.collections.create({ ...scaffold, name: 'from_scaffold' });
    expect((await guest().collection(made.id).listAuthMethods()).oauth2).toEqual({ enabled: false, providers: [] });
    await admin.collections.delete(made.id);
  });

  it('a collection update with an unknown provider or a missing client id is refused with the field named', async () => {
    const unknown = await refused(
      admin.collections.update('users', { oauth2: { enabled: true, providers: [{ name: 'myspace' }] } }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.response.data.oauth2.providers['0'].name.message).toMatch(/unknown provider "myspace"/);
    const blank = await refused(
      admin.collections.update('users', {
        oauth2: { enabled: true, providers: [{ name: 'github', clientSecret: 's' }] },
      }),
    );
    expect(blank.response.data.oauth2.providers['0'].clientId.message).toMatch(/cannot be blank/);
  });
});

describe('authWithOAuth2Code', () => {
  let aliceId = '';

  it('creates a new user from the provider account: mapped fields, verified e-mail, meta as PocketBase', async () => {
    const pb = guest();
    const { code, verifier } = await codeFor(pb, 'alice');
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', code, verifier, callback, {
      emailVisibility: true,
    });
    aliceId = auth.record.id;
    expect(auth.token).toBeTruthy();
    expect(pb.authStore.isValid).toBe(true);
    expect(auth.record).toMatchObject({
      email: 'alice@example.com',
      emailVisibility: true,
      verified: true,
      name: 'Alice Liddell',
      username: 'alice_l',
      avatar: 'https://pictures.example.com/alice.png',
    });
    expect(auth.meta).toMatchObject({
      id: 'alice',
      name: 'Alice Liddell',
      username: 'alice_l',
      email: 'alice@example.com',
      avatarURL: 'https://pictures.example.com/alice.png',
      isNew: true,
    });
    expect(auth.meta!.rawUser).toMatchObject({ sub: 'alice', email_verified: true });
    expect(auth.meta!.accessToken).toBeTruthy();
    expect(auth.meta!.expiry).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);
    // The random password is nobody's: the account has no usable password until its owner sets one.
    const stored = await admin.collection('users').getOne(aliceId);
    expect(stored.email).toBe('alice@example.com');
  });

  it('a second sign-in with the same provider account signs in the same user (isNew false)', async () => {
    const { code, verifier } = await codeFor(guest(), 'alice');
    const auth = await guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    expect(auth.record.id).toBe(aliceId);
    expect(auth.meta!.isNew).toBe(false);
    expect(await admin.collection('_externalAuths').getFullList({ filter: `recordRef = "${aliceId}"` })).toHaveLength(
      1,
    );
  });

  it('links an existing verified user by the e-mail the provider verified', async () => {
    const bob = await admin.collection('users').create({
      email: 'bob@example.com',
      password: 'bob-password-1',
      passwordConfirm: 'bob-password-1',
      verified: true,
    });
    const { code, verifier } = await codeFor(guest(), 'bob');
    const auth = await guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    expect(auth.record.id).toBe(bob.id);
    expect(auth.meta!.isNew).toBe(false);
    // Bob's password still works: he was verified, nothing was reset.
    await guest().collection('users').authWithPassword('bob@example.com', 'bob-password-1');
  });

  it('an unverified account with the same e-mail is taken over by the provider: its password is reset', async () => {
    const pre = await admin.collection('users').create({
      email: 'dan2@example.com',
      password: 'set-by-someone',
      passwordConfirm: 'set-by-someone',
    });
    provider.accounts.set('dan2', { sub: 'dan2', email: 'dan2@example.com', email_verified: true });
    const { code, verifier } = await codeFor(guest(), 'dan2');
    const auth = await guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    expect(auth.record.id).toBe(pre.id);
    expect(auth.record.verified).toBe(true);
    const old = await refused(guest().collection('users').authWithPassword('dan2@example.com', 'set-by-someone'));
    expect(old.status).toBe(400);
  });

  it('an e-mail the provider did not verify links nobody: the new user needs its own address', async () => {
    await admin.collection('users').create({
      email: 'eve@example.com',
      password: 'eve-password-1',
      passwordConfirm: 'eve-password-1',
      verified: true,
    });
    const { code, verifier } = await codeFor(guest(), 'eve');
    const auth = await guest()
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, callback, { email: 'eve.other@example.com' });
    expect(auth.meta!.isNew).toBe(true);
    expect(auth.meta!.email).toBe('');
    expect(auth.record.email).toBe('eve.other@example.com');
    expect(auth.record.verified).toBe(false);
  });

  it('a collection whose create rule is closed refuses a sign-up but signs in a user it knows', async () => {
    const { code, verifier } = await codeFor(guest(), 'alice', 'staff');
    const refusal = await refused(guest().collection('staff').authWithOAuth2Code('oidc', code, verifier, callback));
    expect(refusal.status).toBe(403);
    await admin.collection('staff').create({
      email: 'alice@example.com',
      password: 'alice-staff-1',
      passwordConfirm: 'alice-staff-1',
      verified: true,
    });
    const again = await codeFor(guest(), 'alice', 'staff');
    const auth = await guest().collection('staff').authWithOAuth2Code('oidc', again.code, again.verifier, callback);
    expect(auth.record.email).toBe('alice@example.com');
  });

  it('with MFA on, OAuth2 is a first factor: 401 with an mfaId, then a password completes it', async () => {
    await admin.collection('guarded').create({
      email: 'bob@example.com',
      password: 'bob-guarded-1',
      passwordConfirm: 'bob-guarded-1',
      verified: true,
    });
    const { code, verifier } = await codeFor(guest(), 'bob', 'guarded');
    const first = await refused(guest().collection('guarded').authWithOAuth2Code('oidc', code, verifier, callback));
    expect(first.status).toBe(401);
    const mfaId = first.response.mfaId as string;
    expect(mfaId).toBeTruthy();
    const auth = await guest().collection('guarded').authWithPassword('bob@example.com', 'bob-guarded-1', { mfaId });
    expect(auth.record.email).toBe('bob@example.com');
  });
});

describe('what is refused with a 400 that says why', () => {
  it('a replayed code', async () => {
    const { code, verifier } = await codeFor(guest(), 'alice');
    await guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    const replay = await refused(guest().collection('users').authWithOAuth2Code('oidc', code, verifier, callback));
    expect(replay.status).toBe(400);
    expect(replay.message).toMatch(/^Failed to fetch OAuth2 token: .*invalid_grant/);
  });

  it('a code verifier that is not the one of the auth URL (another sign-in, or a stolen code)', async () => {
    const { code } = await codeFor(guest(), 'alice');
    const other = await providerInfo(guest());
    const wrong = await refused(
      guest().collection('users').authWithOAuth2Code('oidc', code, other.codeVerifier, callback),
    );
    expect(wrong.status).toBe(400);
    expect(wrong.message).toMatch(/invalid_grant/);
  });

  it('an unknown provider, a missing code', async () => {
    const unknown = await refused(guest().collection('users').authWithOAuth2Code('github', 'c', 'v', callback));
    expect(unknown.status).toBe(400);
    expect(unknown.response.data.provider.code).toBe('validation_invalid_provider');
    const blank = await refused(guest().collection('users').authWithOAuth2Code('oidc', '', 'v', callback));
    expect(blank.response.data.code.code).toBe('validation_required');
  });

  it('a provider that answers garbage', async () => {
    const res = await refused(guest().collection('users').authWithOAuth2Code('oidc2', 'some-code', '', callback));
    expect(res.status).toBe(400);
    expect(res.message).toBe(`Failed to fetch OAuth2 token: ${brokenUrl}/token did not answer with JSON.`);
  });

  it('a redirect whose state matches no waiting app', async () => {
    const json = await fetch(`${sdk.server.url}/api/oauth2-redirect?state=nobody-waits&code=abc`);
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ status: 400, message: expect.stringMatching(/state does not match/) });
    const page = await fetch(`${sdk.server.url}/api/oauth2-redirect?code=abc`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/no state parameter.*close this window/);
  });
});

describe('linked accounts', () => {
  it('listExternalAuths and unlinkExternalAuth work for the owner; others see nothing', async () => {
    const pb = guest();
    const { code, verifier } = await codeFor(pb, 'alice');
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    const links = await pb.collection('users').listExternalAuths(auth.record.id);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ provider: 'oidc', providerId: 'alice', recordRef: auth.record.id });

    const stranger = guest();
    const other = await codeFor(stranger, 'bob');
    await stranger.collection('users').authWithOAuth2Code('oidc', other.code, other.verifier, callback);
    expect(await stranger.collection('users').listExternalAuths(auth.record.id)).toEqual([]);
    expect((await refused(stranger.collection('users').unlinkExternalAuth(auth.record.id, 'oidc'))).status).toBe(404);
    expect((await refused(stranger.collection('_externalAuths').create({ provider: 'oidc' }))).status).toBe(403);

    expect(await pb.collection('users').unlinkExternalAuth(auth.record.id, 'oidc')).toBe(true);
    expect(await pb.collection('users').listExternalAuths(auth.record.id)).toEqual([]);
    // Unlinked, the same provider account makes a link again at its next sign-in (found by its e-mail).
    const again = await codeFor(pb, 'alice');
    const back = await pb.collection('users').authWithOAuth2Code('oidc', again.code, again.verifier, callback);
    expect(back.record.id).toBe(auth.record.id);
    expect(await admin.collection('users').listExternalAuths(auth.record.id)).toHaveLength(1);
  });

  it('an account whose address someone else claimed loses that link, and its sessions, once it is verified', async () => {
    // Mallory's provider account has no verified e-mail; she claims Victor's address in createData.
    provider.accounts.set('mallory', { sub: 'mallory', email: 'mallory@example.com', email_verified: false });
    const mallory = guest();
    const { code, verifier } = await codeFor(mallory, 'mallory');
    const auth = await mallory
      .collection('users')
      .authWithOAuth2Code('oidc', code, verifier, callback, { email: 'victor@example.com' });
    expect(auth.record.verified).toBe(false);
    expect(await admin.collection('users').listExternalAuths(auth.record.id)).toHaveLength(1);
    // Victor proves the address (here a superuser marks it verified; a confirmed e-mail does the same).
    await admin.collection('users').update(auth.record.id, { verified: true });
    expect(await admin.collection('users').listExternalAuths(auth.record.id)).toEqual([]);
    expect((await refused(mallory.collection('users').authRefresh())).status).toBe(401);
  });

  it('deleting a user deletes its links', async () => {
    const pb = guest();
    provider.accounts.set('temp', { sub: 'temp', email: 'temp@example.com', email_verified: true });
    const { code, verifier } = await codeFor(pb, 'temp');
    const auth = await pb.collection('users').authWithOAuth2Code('oidc', code, verifier, callback);
    expect(await admin.collection('users').listExternalAuths(auth.record.id)).toHaveLength(1);
    await admin.collection('users').delete(auth.record.id);
    expect(await admin.collection('_externalAuths').getFullList({ filter: `recordRef = "${auth.record.id}"` })).toEqual(
      [],
    );
  });
});

describe('the realtime popup flow', () => {
  it('authWithOAuth2({provider, urlCallback}): the redirect reaches the SDK through @oauth2 and signs it in', async () => {
    const pb = guest();
    let redirectStatus = 0;
    let redirectPage = '';
    const auth = await pb.collection('users').authWithOAuth2({
      provider: 'oidc',
      urlCallback: async (url) => {
        const back = await signInAtProvider(url, 'alice');
        expect(back.toString().startsWith(`${sdk.server.url}/api/oauth2-redirect?`)).toBe(true);
        const res = await fetch(back, { headers: { accept: 'text/html' } });
        redirectStatus = res.status;
        redirectPage = await res.text();
      },
    });
    expect(auth.record.email).toBe('alice@example.com');
    expect(pb.authStore.record?.id).toBe(auth.record.id);
    expect(redirectStatus).toBe(200);
    expect(redirectPage).toMatch(/close this window/);
    pb.realtime.unsubscribe();
  });

  it('the redirect may come as a form POST (response_mode=form_post, as Apple sends it), and works once', async () => {
    const pb = guest();
    let replay = 0;
    const auth = await pb.collection('users').authWithOAuth2({
      provider: 'oidc',
      urlCallback: async (url) => {
        const back = await signInAtProvider(url, 'bob');
        const form = new URLSearchParams(back.searchParams);
        form.set('user', JSON.stringify({ name: { firstName: 'Bob', lastName: 'B' } }));
        const post = () =>
          fetch(`${sdk.server.url}/api/oauth2-redirect`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: form.toString(),
          });
        expect((await post()).status).toBe(200);
        // The realtime client stopped listening on @oauth2: the same redirect again reaches nobody.
        replay = (await post()).status;
      },
    });
    expect(auth.record.email).toBe('bob@example.com');
    expect(replay).toBe(400);
    pb.realtime.unsubscribe();
  });
});

describe('_externalAuths is a system collection', () => {
  it('the collections API neither changes nor deletes it', async () => {
    expect((await refused(admin.collections.update('_externalAuths', { listRule: '' }))).status).toBe(400);
    expect((await refused(admin.collections.delete('_externalAuths'))).status).toBe(400);
    const collection = await admin.collections.getOne('_externalAuths');
    expect(collection.system).toBe(true);
    expect(collection.fields.map((f: { name: string }) => f.name)).toEqual([
      'id',
      'collectionRef',
      'recordRef',
      'provider',
      'providerId',
      'created',
      'updated',
    ]);
  });
});
