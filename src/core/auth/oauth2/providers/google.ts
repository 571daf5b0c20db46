// Google: OpenID Connect user info; the e-mail only when Google says it is verified.
import { authUser, str, truthy, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps Google's userinfo (v3) JSON. */
export function googleUser(raw: Record<string, unknown>, token: TokenSet): AuthUser {
  return authUser(
    {
      id: str(raw.sub),
      name: str(raw.name),
      avatarURL: str(raw.picture),
      email: truthy(raw.email_verified) ? str(raw.email) : '',
    },
    raw,
    token,
  );
}

export const google: ProviderDefinition = {
  name: 'google',
  displayName: 'Google',
  endpoints: {
    authURL: 'https://accounts.google.com/o/oauth2/v2/auth',
    tokenURL: 'https://oauth2.googleapis.com/token',
    userInfoURL: 'https://www.googleapis.com/oauth2/v3/userinfo',
  },
  scopes: ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/userinfo.email'],
  pkce: true,
  fetchUser: async ({ endpoints, token, get }) => googleUser(await get(endpoints.userInfoURL), token),
};
