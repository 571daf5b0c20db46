// id_token checks (OpenID Connect and Apple): the signature against the provider's JWKS served on loopback, then
// issuer, audience, expiry and the nonce derived from the sign-in's code verifier. Each failure names itself.
import type { webcrypto } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/core/auth/oauth2/http.js';
import { nonceFor, verifyIdToken } from '../../../src/core/auth/oauth2/id-token.js';

let server: Server;
let jwksURL: string;
type CryptoKey = webcrypto.CryptoKey;
let key: CryptoKey;
let stranger: CryptoKey;
const ISSUER = 'https://id.example.com';

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  key = pair.privateKey;
  stranger = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const sign = (claims: JWTPayload, by: CryptoKey = key, expires: string | number = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(ISSUER)
    .setAudience('client-1')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(expires)
    .sign(by);

const check = (nonce?: string) => ({ jwksURL, issuers: [ISSUER], audience: 'client-1', ...(nonce ? { nonce } : {}) });

const problem = (p: Promise<unknown>) =>
  p.then(
    () => '',
    (err: unknown) => {
      expect(err).toBeInstanceOf(ProviderError);
      return (err as Error).message;
    },
  );

describe('verifyIdToken', () => {
  it('accepts a token signed by the provider, for this client, with this sign-in nonce', async () => {
    const nonce = nonceFor('verifier-1');
    const claims = await verifyIdToken(await sign({ nonce, email: 'a@example.com' }), check(nonce));
    expect(claims).toMatchObject({ sub: 'user-1', email: 'a@example.com' });
  });

  it('refuses a token signed by another key', async () => {
    expect(await problem(verifyIdToken(await sign({}, stranger), check()))).toMatch(/signature does not verify/);
  });

  it('refuses another audience, another issuer, an expired token, no token', async () => {
    expect(await problem(verifyIdToken(await sign({}), { ...check(), audience: 'client-2' }))).toMatch(/"aud"/);
    expect(await problem(verifyIdToken(await sign({}), { ...check(), issuers: ['https://evil.example.com'] }))).toMatch(
      /"iss"/,
    );
    const expired = await sign({}, key, Math.floor(Date.now() / 1000) - 3600);
    expect(await problem(verifyIdToken(expired, check()))).toMatch(/expired/);
    expect(await problem(verifyIdToken(undefined, check()))).toMatch(/no id_token/);
  });

  it("refuses a token issued for another sign-in (another verifier's nonce, or none)", async () => {
    const theirs = await sign({ nonce: nonceFor('someone-elses-verifier') });
    expect(await problem(verifyIdToken(theirs, check(nonceFor('verifier-1'))))).toMatch(/nonce/);
    expect(await problem(verifyIdToken(await sign({}), check(nonceFor('verifier-1'))))).toMatch(/nonce/);
  });
});
