// What a provider module declares (its endpoints, scopes, how it reads its user) and the one code path every
// provider shares: the auth URL, the code-for-token exchange and authorized calls to its API.
import { createHash } from 'node:crypto';
import type { AuthUser, TokenSet } from './auth-user.js';
import { describeOAuthError, providerJson, ProviderError } from './http.js';
import type { ProviderConfig } from './options.js';

/** Endpoints after the collection's overrides (and, for OpenID Connect, discovery). */
export interface Endpoints {
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  /** Where the id_token's keys are (providers that check one). */
  jwksURL?: string;
  /** Accepted id_token issuers (empty: any). */
  issuers?: string[];
  /** How the client proves itself at the token endpoint, when discovery says (else the provider's default). */
  tokenAuth?: 'post' | 'basic';
}

/** What a provider module gets to build its user. */
export interface UserRequest {
  config: ProviderConfig;
  endpoints: Endpoints;
  token: TokenSet;
  /** The nonce the auth URL carried (providers that send one), to check in the id_token. */
  nonce?: string;
  /** A GET with the access token, answering JSON (an array answer comes as `{items: [...]}`). */
  get(
    url: string,
    onStatus?: (status: number) => Record<string, unknown> | undefined,
  ): Promise<Record<string, unknown>>;
}

export interface ProviderDefinition {
  name: string;
  displayName: string;
  /** Default endpoints; a collection may override each. */
  endpoints: Endpoints;
  scopes: string[];
  /** Whether PKCE is on unless the collection says otherwise. */
  pkce: boolean;
  /** Whether the auth URL carries a nonce (providers whose id_token is checked). */
  nonce?: boolean;
  /** More parameters for the auth URL (Apple: response_mode=form_post). */
  authParams?: Record<string, string>;
  /** How the client proves itself at the token endpoint (default: client_secret_post). */
  tokenAuth?: 'post' | 'basic';
  /** Endpoints that need a look-up first (OpenID Connect discovery). */
  resolveEndpoints?(config: ProviderConfig, defaults: Endpoints): Promise<Endpoints>;
  fetchUser(request: UserRequest): Promise<AuthUser>;
}

/** PKCE's S256: base64url(sha256(verifier)). */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** The endpoints a collection's config gives, over the provider's defaults. */
export function configuredEndpoints(definition: ProviderDefinition, config: ProviderConfig): Endpoints {
  return {
    ...definition.endpoints,
    authURL: config.authURL || definition.endpoints.authURL,
    tokenURL: config.tokenURL || definition.endpoints.tokenURL,
    userInfoURL: config.userInfoURL || definition.endpoints.userInfoURL,
  };
}

/** The scopes asked for: the provider's, or the collection's `extra.scopes` when it lists some. */
export function scopesOf(definition: ProviderDefinition, config: ProviderConfig): string[] {
  const extra = config.extra.scopes;
  return Array.isArray(extra) && extra.every((s) => typeof s === 'string') && extra.length
    ? (extra as string[])
    : definition.scopes;
}

/**
 * The authorization URL, ending in `redirect_uri=` so that the client appends its own redirect URL, as
 * PocketBase's auth-methods answers it.
 */
export function buildAuthURL(
  definition: ProviderDefinition,
  config: ProviderConfig,
  endpoints: Endpoints,
  params: { state: string; codeChallenge?: string; nonce?: string },
): string {
  const url = new URL(endpoints.authURL);
  const query = url.searchParams;
  query.set('client_id', config.clientId);
  query.set('response_type', 'code');
  query.set('scope', scopesOf(definition, config).join(' '));
  query.set('state', params.state);
  for (const [key, value] of Object.entries(definition.authParams ?? {})) query.set(key, value);
  if (params.codeChallenge) {
    query.set('code_challenge', params.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  if (params.nonce) query.set('nonce', params.nonce);
  query.delete('redirect_uri');
  return `${url.toString()}&redirect_uri=`;
}

/** RFC 6749 2.3.1: the id and secret are form-encoded before they go into the Basic header. */
function basicAuth(config: ProviderConfig): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(config.clientId)}:${enc(config.clientSecret)}`).toString('base64')}`;
}

/** Trades an authorization code for tokens at the token endpoint. */
export async function exchangeCode(
  definition: ProviderDefinition,
  config: ProviderConfig,
  endpoints: Endpoints,
  params: { code: string; redirectURL: string; codeVerifier?: string },
): Promise<TokenSet> {
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: params.code });
  if (params.redirectURL) form.set('redirect_uri', params.redirectURL);
  if (params.codeVerifier) form.set('code_verifier', params.codeVerifier);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if ((endpoints.tokenAuth ?? definition.tokenAuth ?? 'post') === 'basic') {
    headers.authorization = basicAuth(config);
  } else {
    form.set('client_id', config.clientId);
    if (config.clientSecret) form.set('client_secret', config.clientSecret);
  }
  const answer = await providerJson(endpoints.tokenURL, { method: 'POST', headers, body: form.toString() });
  // GitHub answers 200 with an error body for a bad code.
  if (typeof answer.error === 'string') {
    throw new ProviderError(`the token endpoint refused the code (${describeOAuthError(answer)})`);
  }
  const accessToken = answer.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw new ProviderError('the token endpoint answered without an access_token');
  }
  const expiresIn = Number(answer.expires_in);
  return {
    accessToken,
    refreshToken: typeof answer.refresh_token === 'string' ? answer.refresh_token : '',
    ...(Number.isFinite(expiresIn) && expiresIn > 0 ? { expiry: new Date(Date.now() + expiresIn * 1000) } : {}),
    ...(typeof answer.id_token === 'string' ? { idToken: answer.id_token } : {}),
    raw: answer,
  };
}

/** An authorized GET to the provider's API. */
export function getWithToken(
  token: TokenSet,
  url: string,
  onStatus?: (status: number) => Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  return providerJson(url, { headers: { authorization: `Bearer ${token.accessToken}` } }, onStatus);
}
