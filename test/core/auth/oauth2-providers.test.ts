// Each named provider's user JSON (sample answers shaped like the provider's documented one) mapped to
// PocketBase's AuthUser. These providers cannot be reached from the tests; only OpenID Connect is tested live
// (test/api/oauth2.test.ts). Also: the auth URL every provider builds.
import { describe, expect, it } from 'vitest';
import type { TokenSet } from '../../../src/core/auth/oauth2/auth-user.js';
import type { ProviderConfig } from '../../../src/core/auth/oauth2/options.js';
import { buildAuthURL, codeChallenge, configuredEndpoints } from '../../../src/core/auth/oauth2/provider.js';
import { OAUTH2_PROVIDER_NAMES } from '../../../src/core/auth/oauth2/provider-names.js';
import { appleUser } from '../../../src/core/auth/oauth2/providers/apple.js';
import { discordUser } from '../../../src/core/auth/oauth2/providers/discord.js';
import { facebookUser } from '../../../src/core/auth/oauth2/providers/facebook.js';
import { githubPrimaryEmail, githubUser } from '../../../src/core/auth/oauth2/providers/github.js';
import { gitlabUser } from '../../../src/core/auth/oauth2/providers/gitlab.js';
import { googleUser } from '../../../src/core/auth/oauth2/providers/google.js';
import { providerDefinition } from '../../../src/core/auth/oauth2/providers/index.js';
import { microsoftUser } from '../../../src/core/auth/oauth2/providers/microsoft.js';
import { oidcUser } from '../../../src/core/auth/oauth2/providers/oidc.js';

const token: TokenSet = {
  accessToken: 'access-1',
  refreshToken: 'refresh-1',
  expiry: new Date('2030-01-02T03:04:05.678Z'),
  raw: {},
};
const tokenParts = { accessToken: 'access-1', refreshToken: 'refresh-1', expiry: '2030-01-02 03:04:05.678Z' };

describe('provider user JSON -> AuthUser', () => {
  it('google: userinfo v3; the e-mail only when email_verified', () => {
    const raw = {
      sub: '110169484474386276334',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      picture: 'https://lh3.googleusercontent.com/a/photo.jpg',
      email: 'ada@gmail.com',
      email_verified: true,
      locale: 'en',
    };
    expect(googleUser(raw, token)).toEqual({
      id: '110169484474386276334',
      name: 'Ada Lovelace',
      username: '',
      email: 'ada@gmail.com',
      avatarURL: 'https://lh3.googleusercontent.com/a/photo.jpg',
      rawUser: raw,
      ...tokenParts,
    });
    expect(googleUser({ ...raw, email_verified: false }, token).email).toBe('');
  });

  it('github: numeric id as text, login as username, the verified primary address of /user/emails', () => {
    const raw = {
      login: 'octocat',
      id: 583231,
      avatar_url: 'https://avatars.githubusercontent.com/u/583231?v=4',
      name: 'The Octocat',
      email: null,
    };
    const emails = [
      { email: 'octocat@users.noreply.github.com', primary: false, verified: true, visibility: null },
      { email: 'octo@example.com', primary: true, verified: true, visibility: 'public' },
    ];
    expect(githubUser(raw, githubPrimaryEmail(emails), token)).toMatchObject({
      id: '583231',
      name: 'The Octocat',
      username: 'octocat',
      email: 'octo@example.com',
      avatarURL: 'https://avatars.githubusercontent.com/u/583231?v=4',
    });
    expect(githubPrimaryEmail([{ email: 'x@example.com', primary: true, verified: false }])).toBe('');
    expect(githubPrimaryEmail(undefined)).toBe('');
  });

  it('apple: id_token claims; email_verified may be the string "true"', () => {
    const claims = {
      iss: 'https://appleid.apple.com',
      aud: 'com.example.app',
      sub: '001234.abcdef0123456789.0123',
      email: 'x1y2@privaterelay.appleid.com',
      email_verified: 'true',
      is_private_email: 'true',
    };
    expect(appleUser(claims, token)).toMatchObject({
      id: '001234.abcdef0123456789.0123',
      email: 'x1y2@privaterelay.appleid.com',
      name: '',
    });
    expect(appleUser({ ...claims, email_verified: 'false' }, token).email).toBe('');
  });

  it('microsoft: Graph /me (displayName, mail)', () => {
    const raw = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity',
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      displayName: 'Adele Vance',
      givenName: 'Adele',
      mail: 'AdeleV@contoso.com',
      userPrincipalName: 'AdeleV@contoso.com',
    };
    expect(microsoftUser(raw, token)).toMatchObject({
      id: '87d349ed-44d7-43e1-9a83-5f2406dee5bd',
      name: 'Adele Vance',
      email: 'AdeleV@contoso.com',
      avatarURL: '',
    });
  });

  it('discord: global_name, avatar URL from the hash, e-mail when verified, legacy discriminator', () => {
    const raw = {
      id: '80351110224678912',
      username: 'nelly',
      discriminator: '0',
      global_name: 'Nelly',
      avatar: '8342729096ea3675442027381ff50dfe',
      verified: true,
      email: 'nelly@discord.com',
    };
    expect(discordUser(raw, token)).toMatchObject({
      id: '80351110224678912',
      name: 'Nelly',
      username: 'nelly',
      email: 'nelly@discord.com',
      avatarURL: 'https://cdn.discordapp.com/avatars/80351110224678912/8342729096ea3675442027381ff50dfe.png',
    });
    const legacy = discordUser(
      { ...raw, global_name: null, discriminator: '1337', verified: false, avatar: null },
      token,
    );
    expect(legacy).toMatchObject({ name: 'nelly#1337', email: '', avatarURL: '' });
  });

  it('gitlab: /api/v4/user; the e-mail once confirmed_at is set', () => {
    const raw = {
      id: 1,
      username: 'john_smith',
      name: 'John Smith',
      avatar_url: 'https://gitlab.example.com/uploads/user/avatar/1/cd8.jpeg',
      email: 'john@example.com',
      confirmed_at: '2012-05-23T09:05:22Z',
    };
    expect(gitlabUser(raw, token)).toMatchObject({
      id: '1',
      name: 'John Smith',
      username: 'john_smith',
      email: 'john@example.com',
      avatarURL: 'https://gitlab.example.com/uploads/user/avatar/1/cd8.jpeg',
    });
    expect(gitlabUser({ ...raw, confirmed_at: null }, token).email).toBe('');
  });

  it('facebook: Graph me?fields=name,email,picture.type(large)', () => {
    const raw = {
      id: '10158000000000001',
      name: 'Mark Example',
      email: 'mark@example.com',
      picture: { data: { height: 200, is_silhouette: false, url: 'https://platform-lookaside.fbsbx.com/p.jpg' } },
    };
    expect(facebookUser(raw, token)).toMatchObject({
      id: '10158000000000001',
      name: 'Mark Example',
      email: 'mark@example.com',
      avatarURL: 'https://platform-lookaside.fbsbx.com/p.jpg',
    });
    expect(facebookUser({ id: '1' }, token)).toMatchObject({ id: '1', email: '', avatarURL: '' });
  });

  it('oidc: standard claims; a token without expiry gives an empty expiry', () => {
    const claims = {
      sub: '248289761001',
      name: 'Jane Doe',
      preferred_username: 'j.doe',
      email: 'janedoe@example.com',
      email_verified: true,
      picture: 'http://example.com/janedoe/me.jpg',
    };
    const user = oidcUser(claims, { accessToken: 'a', refreshToken: '', raw: {} });
    expect(user).toMatchObject({ id: '248289761001', username: 'j.doe', email: 'janedoe@example.com', expiry: '' });
    expect(oidcUser({ ...claims, email_verified: undefined }, token).email).toBe('');
  });
});

describe('auth URLs', () => {
  const config = (name: string): ProviderConfig => ({
    name,
    clientId: 'client-1',
    clientSecret: 'secret-1',
    authURL: '',
    tokenURL: '',
    userInfoURL: '',
    displayName: '',
    pkce: null,
    extra: {},
  });

  it.each(OAUTH2_PROVIDER_NAMES.filter((n) => !n.startsWith('oidc')))(
    '%s: client id, scopes, state and PKCE; no secret; ends in redirect_uri=',
    (name) => {
      const definition = providerDefinition(name)!;
      const url = buildAuthURL(definition, config(name), configuredEndpoints(definition, config(name)), {
        state: 'state-1',
        codeChallenge: codeChallenge('verifier-1'),
      });
      expect(url.startsWith(`${definition.endpoints.authURL}?`)).toBe(true);
      expect(url.endsWith('&redirect_uri=')).toBe(true);
      expect(url).not.toContain('secret-1');
      const query = new URL(url).searchParams;
      expect(query.get('client_id')).toBe('client-1');
      expect(query.get('state')).toBe('state-1');
      expect(query.get('scope')).toBe(definition.scopes.join(' '));
      expect(query.get('code_challenge_method')).toBe('S256');
      expect(query.get('response_mode')).toBe(name === 'apple' ? 'form_post' : null);
    },
  );

  it('the S256 challenge is base64url(sha256(verifier)) (RFC 7636 appendix B)', () => {
    expect(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('a collection may override endpoints and scopes', () => {
    const definition = providerDefinition('gitlab')!;
    const own = { ...config('gitlab'), authURL: 'https://git.example.com/oauth/authorize', extra: { scopes: ['api'] } };
    const url = buildAuthURL(definition, own, configuredEndpoints(definition, own), { state: 's' });
    expect(url.startsWith('https://git.example.com/oauth/authorize?')).toBe(true);
    expect(new URL(url).searchParams.get('scope')).toBe('api');
    expect(new URL(url).searchParams.has('code_challenge')).toBe(false);
  });
});
