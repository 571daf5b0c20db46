// Discord: the current user; the avatar URL is built from its hash, the e-mail counts when `verified`.
import { authUser, str, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** Maps Discord's `GET /users/@me` JSON. */
export function discordUser(raw: Record<string, unknown>, token: TokenSet): AuthUser {
  const id = str(raw.id);
  const avatar = str(raw.avatar);
  const username = str(raw.username);
  const discriminator = str(raw.discriminator);
  // Accounts from before unique usernames still carry a discriminator ("1234"); "0" means none.
  const legacyName = discriminator && discriminator !== '0' ? `${username}#${discriminator}` : username;
  return authUser(
    {
      id,
      name: str(raw.global_name) || legacyName,
      username,
      avatarURL: avatar ? `https://cdn.discordapp.com/avatars/${id}/${avatar}.png` : '',
      email: raw.verified === true ? str(raw.email) : '',
    },
    raw,
    token,
  );
}

export const discord: ProviderDefinition = {
  name: 'discord',
  displayName: 'Discord',
  endpoints: {
    authURL: 'https://discord.com/api/oauth2/authorize',
    tokenURL: 'https://discord.com/api/oauth2/token',
    userInfoURL: 'https://discord.com/api/users/@me',
  },
  scopes: ['identify', 'email'],
  pkce: true,
  fetchUser: async ({ endpoints, token, get }) => discordUser(await get(endpoints.userInfoURL), token),
};
