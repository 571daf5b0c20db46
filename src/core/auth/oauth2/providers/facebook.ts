// Facebook: the Graph API's `me` with the fields asked for; Facebook only hands out confirmed e-mail addresses.
import { authUser, str, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps the Graph API's `GET /me?fields=name,email,picture.type(large)` JSON. */
export function facebookUser(raw: Record<string, unknown>, token: TokenSet): AuthUser {
  const picture = (raw.picture as { data?: { url?: unknown } } | undefined)?.data?.url;
  return authUser({ id: str(raw.id), name: str(raw.name), email: str(raw.email), avatarURL: str(picture) }, raw, token);
}

export const facebook: ProviderDefinition = {
  name: 'facebook',
  displayName: 'Facebook',
  endpoints: {
    authURL: 'https://www.facebook.com/v3.2/dialog/oauth',
    tokenURL: 'https://graph.facebook.com/v3.2/oauth/access_token',
    userInfoURL: 'https://graph.facebook.com/me?fields=name,email,picture.type(large)',
  },
  scopes: ['email'],
  pkce: true,
  fetchUser: async ({ endpoints, token, get }) => facebookUser(await get(endpoints.userInfoURL), token),
};
