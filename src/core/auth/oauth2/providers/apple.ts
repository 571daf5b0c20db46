// Sign in with Apple: no user-info endpoint; the user is the id_token, checked against Apple's keys, issuer and
// this sign-in's nonce. The name comes once, with the first redirect (see apple-names.ts).
import { authUser, str, truthy, type AuthUser, type TokenSet } from '../auth-user.js';
import { verifyIdToken } from '../id-token.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps the claims of Apple's id_token. */
export function appleUser(claims: Record<string, unknown>, token: TokenSet): AuthUser {
  return authUser(
    {
      id: str(claims.sub),
      name: str(claims.name),
      email: truthy(claims.email_verified) ? str(claims.email) : '',
    },
    claims,
    token,
  );
}

export const apple: ProviderDefinition = {
  name: 'apple',
  displayName: 'Apple',
  endpoints: {
    authURL: 'https://appleid.apple.com/auth/authorize',
    tokenURL: 'https://appleid.apple.com/auth/token',
    userInfoURL: '',
    jwksURL: 'https://appleid.apple.com/auth/keys',
    issuers: ['https://appleid.apple.com'],
  },
  scopes: ['name', 'email'],
  pkce: true,
  nonce: true,
  // Apple posts the code (and the name) to the redirect URL when it asks for the name or e-mail.
  authParams: { response_mode: 'form_post' },
  async fetchUser({ config, endpoints, token, nonce }) {
    const claims = await verifyIdToken(token.idToken, {
      jwksURL: endpoints.jwksURL!,
      issuers: endpoints.issuers ?? [],
      audience: config.clientId,
      ...(nonce ? { nonce } : {}),
    });
    return appleUser(claims as Record<string, unknown>, token);
  },
};
