// What a provider tells about its user, in PocketBase's shape (its AuthUser), and the tokens it answered with.
import { formatDateTime } from '../../datetime.js';

/** The token endpoint's answer, as the flow uses it. */
export interface TokenSet {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, if the provider said. */
  expiry?: Date;
  /** The OpenID Connect id_token, if the provider sent one. */
  idToken?: string;
  /** The whole answer (some providers put more in it). */
  raw: Record<string, unknown>;
}

/** One provider user, as `meta` of auth-with-oauth2 shows it (PocketBase's AuthUser JSON). */
export interface AuthUser {
  /** The user's id at the provider (what `_externalAuths.providerId` keeps). */
  id: string;
  name: string;
  username: string;
  /** Only an address the provider says is verified; '' otherwise. */
  email: string;
  avatarURL: string;
  /** The provider's user JSON as it came. */
  rawUser: Record<string, unknown>;
  accessToken: string;
  refreshToken: string;
  /** The access token's expiry as a PocketBase datetime, or ''. */
  expiry: string;
}

/** Reads a string (or a number, as some providers send ids) from a JSON value; '' for anything else. */
export function str(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

/** A claim that means "yes" whether it came as a boolean or a string (Apple sends `"true"`). */
export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 1;
}

/** An AuthUser from the fields a provider module read, with the token parts filled in. */
export function authUser(
  fields: Partial<Pick<AuthUser, 'id' | 'name' | 'username' | 'email' | 'avatarURL'>>,
  rawUser: Record<string, unknown>,
  token: Pick<TokenSet, 'accessToken' | 'refreshToken' | 'expiry'>,
): AuthUser {
  return {
    id: fields.id ?? '',
    name: fields.name ?? '',
    username: fields.username ?? '',
    email: fields.email ?? '',
    avatarURL: fields.avatarURL ?? '',
    rawUser,
    accessToken: token.accessToken,
    refreshToken: token.refreshToken,
    expiry: token.expiry ? formatDateTime(token.expiry) : '',
  };
}
