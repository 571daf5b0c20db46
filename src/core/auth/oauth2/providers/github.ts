// GitHub: the user API, then the e-mail list for the verified primary address (the profile's e-mail may be
// hidden or unverified); a token without the e-mail scope just leaves the e-mail empty.
import { authUser, str, type AuthUser, type TokenSet } from '../auth-user.js';
import type { ProviderDefinition } from '../provider.js';

/** The verified primary address of GitHub's `GET /user/emails` list, or ''. */
export function githubPrimaryEmail(emails: unknown): string {
  if (!Array.isArray(emails)) return '';
  const primary = emails.find((e: Record<string, unknown> | null) => e && e.primary === true && e.verified === true) as
    Record<string, unknown> | undefined;
  return primary ? str(primary.email) : '';
}

/** Maps GitHub's `GET /user` JSON and the e-mail it found. */
export function githubUser(raw: Record<string, unknown>, email: string, token: TokenSet): AuthUser {
  return authUser(
    { id: str(raw.id), name: str(raw.name), username: str(raw.login), avatarURL: str(raw.avatar_url), email },
    raw,
    token,
  );
}

export const github: ProviderDefinition = {
  name: 'github',
  displayName: 'GitHub',
  endpoints: {
    authURL: 'https://github.com/login/oauth/authorize',
    tokenURL: 'https://github.com/login/oauth/access_token',
    userInfoURL: 'https://api.github.com/user',
  },
  scopes: ['read:user', 'user:email'],
  // GitHub ignores the PKCE parameters it does not know; they cost nothing.
  pkce: true,
  async fetchUser({ endpoints, token, get }) {
    const raw = await get(endpoints.userInfoURL);
    const missingScope = (status: number) => ([401, 403, 404].includes(status) ? { items: [] } : undefined);
    const emails = await get(`${endpoints.userInfoURL}/emails`, missingScope);
    return githubUser(raw, githubPrimaryEmail(emails.items), token);
  },
};
