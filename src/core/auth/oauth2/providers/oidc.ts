// Any OpenID Connect provider: by issuer URL (`extra.issuer`, endpoints found by discovery) or by explicit
// endpoints. The id_token is checked (signature against the JWKS, issuer, audience, nonce) whenever its keys are
// known; the user comes from the user-info endpoint (whose `sub` must match the id_token's) or the id_token.
import { authUser, str, truthy, type AuthUser, type TokenSet } from '../auth-user.js';
import { providerJson, ProviderError } from '../http.js';
import { verifyIdToken } from '../id-token.js';
import type { ProviderConfig } from '../options.js';
import type { Endpoints, ProviderDefinition } from '../provider.js';

/** Maps OpenID Connect standard claims (user info or id_token). */
export function oidcUser(claims: Record<string, unknown>, token: TokenSet): AuthUser {
  return authUser(
    {
      id: str(claims.sub),
      name: str(claims.name),
      username: str(claims.preferred_username),
      avatarURL: str(claims.picture),
      email: truthy(claims.email_verified) ? str(claims.email) : '',
    },
    claims,
    token,
  );
}

/** How long a discovery document is trusted before it is read again. */
const DISCOVERY_TTL_MS = 60 * 60 * 1000;
const discovered = new Map<string, { document: Record<string, unknown>; until: number }>();

/** The issuer's `/.well-known/openid-configuration`, which must name the same issuer. */
async function discover(issuer: string): Promise<Record<string, unknown>> {
  const cached = discovered.get(issuer);
  if (cached && cached.until > Date.now()) return cached.document;
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  const document = await providerJson(url);
  if (document.issuer !== issuer) {
    throw new ProviderError(`the discovery document of ${issuer} names another issuer (${str(document.issuer)})`);
  }
  if (discovered.size >= 32) discovered.delete(discovered.keys().next().value!);
  discovered.set(issuer, { document, until: Date.now() + DISCOVERY_TTL_MS });
  return document;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

async function resolveEndpoints(config: ProviderConfig, explicit: Endpoints): Promise<Endpoints> {
  const issuer = str(config.extra.issuer);
  const jwksURL = str(config.extra.jwksURL);
  const issuers = strings(config.extra.issuers);
  if (!issuer) {
    return { ...explicit, ...(jwksURL ? { jwksURL } : {}), issuers, tokenAuth: 'basic' };
  }
  const document = await discover(issuer);
  const methods = strings(document.token_endpoint_auth_methods_supported);
  return {
    authURL: explicit.authURL || str(document.authorization_endpoint),
    tokenURL: explicit.tokenURL || str(document.token_endpoint),
    userInfoURL: explicit.userInfoURL || str(document.userinfo_endpoint),
    jwksURL: jwksURL || str(document.jwks_uri),
    issuers: issuers.length ? issuers : [issuer],
    // client_secret_basic is the default the specification gives when a provider lists nothing.
    tokenAuth: methods.length && !methods.includes('client_secret_basic') ? 'post' : 'basic',
  };
}

function oidcProvider(name: string): ProviderDefinition {
  return {
    name,
    displayName: 'OIDC',
    endpoints: { authURL: '', tokenURL: '', userInfoURL: '' },
    scopes: ['openid', 'email', 'profile'],
    pkce: true,
    nonce: true,
    resolveEndpoints,
    async fetchUser({ config, endpoints, token, nonce, get }) {
      const claims = endpoints.jwksURL
        ? ((await verifyIdToken(token.idToken, {
            jwksURL: endpoints.jwksURL,
            issuers: endpoints.issuers ?? [],
            audience: config.clientId,
            ...(nonce ? { nonce } : {}),
          })) as Record<string, unknown>)
        : undefined;
      if (!endpoints.userInfoURL) {
        if (!claims) throw new ProviderError('neither a user-info endpoint nor the id_token keys are configured');
        return oidcUser(claims, token);
      }
      const info = await get(endpoints.userInfoURL);
      if (claims && info.sub !== claims.sub) {
        throw new ProviderError("the user info is about another user than the id_token's");
      }
      return oidcUser(info, token);
    },
  };
}

export const oidc = oidcProvider('oidc');
export const oidc2 = oidcProvider('oidc2');
export const oidc3 = oidcProvider('oidc3');
