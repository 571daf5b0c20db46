// Microsoft (Entra ID, the "common" tenant by default): Microsoft Graph's `me`. Its `mail` is the account's
// address as the tenant keeps it, which PocketBase trusts by default; `extra.idTokenEmailClaim` is not read.
import { authUser, str, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps Microsoft Graph's `GET /v1.0/me` JSON. */
export function microsoftUser(raw: Record<string, unknown>, token: TokenSet): AuthUser {
  return authUser({ id: str(raw.id), name: str(raw.displayName), email: str(raw.mail) }, raw, token);
}

export const microsoft: ProviderDefinition = {
  name: 'microsoft',
  displayName: 'Microsoft',
  endpoints: {
    authURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    tokenURL: 'https://login.microsoftonline.com/common/oauth2/v2.0/token',
    userInfoURL: 'https://graph.microsoft.com/v1.0/me',
  },
  scopes: ['User.Read'],
  pkce: true,
  fetchUser: async ({ endpoints, token, get }) => microsoftUser(await get(endpoints.userInfoURL), token),
};
