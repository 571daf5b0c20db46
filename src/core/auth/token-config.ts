// Per-collection token settings: the signing secret and lifetime of each token type.
import type { Collection } from '../collections/model.js';
import { randomString } from '../ids.js';
import type { Params } from '../settings/params.js';

/** The token types Satchel issues; `install` is the one-time first-superuser link. */
export type TokenType = 'auth' | 'verification' | 'passwordReset' | 'emailChange' | 'file' | 'install';

/** PocketBase's defaults, in seconds (`_superusers` sets its auth duration to 86400 in its definition). */
const DEFAULT_DURATION: Record<TokenType, number> = {
  auth: 432000,
  verification: 86400,
  passwordReset: 1800,
  emailChange: 1800,
  // Protected files: short-lived, as PocketBase's.
  file: 180,
  install: 1800,
};

/** The collection option that configures each type, as in PocketBase's collection JSON. */
const OPTION_KEY: Partial<Record<TokenType, string>> = {
  auth: 'authToken',
  verification: 'verificationToken',
  passwordReset: 'passwordResetToken',
  emailChange: 'emailChangeToken',
  file: 'fileToken',
};

interface TokenOption {
  secret?: unknown;
  duration?: unknown;
}

function option(collection: Collection, type: TokenType): TokenOption {
  const key = OPTION_KEY[type];
  const value = key ? collection.options[key] : undefined;
  return typeof value === 'object' && value !== null ? (value as TokenOption) : {};
}

/**
 * Secrets and durations. A collection file may set `authToken: {secret, duration}` and the like; a secret
 * it does not give is generated once (50 random characters) and kept in `_params`, never in the files,
 * which live in git.
 */
export class TokenConfig {
  private readonly secrets = new Map<string, string>();

  constructor(private readonly params: Params) {}

  async secret(collection: Collection, type: TokenType): Promise<string> {
    const given = option(collection, type).secret;
    if (typeof given === 'string' && given !== '') return given;
    const id = `tokenSecret:${collection.id}:${type}`;
    let secret = this.secrets.get(id);
    if (secret === undefined) {
      secret = await this.params.getOrInsert(id, randomString(50));
      this.secrets.set(id, secret);
    }
    return secret;
  }

  /** Lifetime in seconds. */
  duration(collection: Collection, type: TokenType): number {
    const given = option(collection, type).duration;
    return typeof given === 'number' && Number.isFinite(given) && given > 0 ? given : DEFAULT_DURATION[type];
  }
}
