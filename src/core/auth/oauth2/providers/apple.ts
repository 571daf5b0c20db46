// Sign in with Apple: no user-info endpoint; the user is the id_token, checked against Apple's keys, issuer and
// this sign-in's nonce. The name comes once, with the first redirect (see apple-names.ts).
import { oidcUser } from './oidc.js';
import { verifyIdToken } from '../id-token.js';
import type { ProviderDefinition } from '../provider.js';

/** Apple's id_token carries OpenID Connect's standard claims (sub, name once, a verified e-mail). */
export const appleUser = oidcUser;

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
