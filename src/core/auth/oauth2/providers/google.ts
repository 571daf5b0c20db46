// Google: OpenID Connect user info; the e-mail only when Google says it is verified.
import { oidcUser } from './oidc.js';
import type { ProviderDefinition } from '../provider.js';

/** Google's userinfo (v3) is OpenID Connect's standard claims; the e-mail only when Google says it is verified. */
export const googleUser = oidcUser;

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
