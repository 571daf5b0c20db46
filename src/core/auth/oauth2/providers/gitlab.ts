// GitLab: the user API; the e-mail counts once the account is confirmed (`confirmed_at`).
import { authUser, str, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps GitLab's `GET /api/v4/user` JSON. */
export function gitlabUser(raw: Record<string, unknown>, token: TokenSet): AuthUser {
  const confirmed = !Number.isNaN(Date.parse(str(raw.confirmed_at)));
  return authUser(
    {
      id: str(raw.id),
      name: str(raw.name),
      username: str(raw.username),
      avatarURL: str(raw.avatar_url),
      email: confirmed ? str(raw.email) : '',
    },
    raw,
    token,
  );
}

export const gitlab: ProviderDefinition = {
  name: 'gitlab',
  displayName: 'GitLab',
  endpoints: {
    authURL: 'https://gitlab.com/oauth/authorize',
    tokenURL: 'https://gitlab.com/oauth/token',
    userInfoURL: 'https://gitlab.com/api/v4/user',
  },
  scopes: ['read_user'],
  pkce: true,
  fetchUser: async ({ endpoints, token, get }) => gitlabUser(await get(endpoints.userInfoURL), token),
};
