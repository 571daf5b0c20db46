// A collection's `oauth2` options (PocketBase's shape), read with their defaults. The collection loader has
// already checked them (collections/oauth2-schema.ts): here they are only read.
import type { Collection } from '../../collections/model.js';

/** One provider as a collection file configures it. */
export interface ProviderConfig {
  name: string;
  clientId: string;
  clientSecret: string;
  /** Overrides of the provider's endpoints ('' = the provider's default). */
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  displayName: string;
  /** Overrides whether the provider gets PKCE (null = the provider's default). */
  pkce: boolean | null;
  /** Provider-specific settings (oidc: issuer, jwksURL, issuers, scopes...). */
  extra: Record<string, unknown>;
}

/** Which record fields get the provider user's id, name, username and avatar URL when a user signs up. */
export interface MappedFields {
  id: string;
  name: string;
  username: string;
  avatarURL: string;
}

export interface OAuth2Options {
  enabled: boolean;
  mappedFields: MappedFields;
  providers: ProviderConfig[];
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The collection's `oauth2`, with PocketBase's defaults (off, no providers, nothing mapped). */
export function oauth2Options(collection: Collection): OAuth2Options {
  const given = (collection.options.oauth2 ?? {}) as Record<string, unknown>;
  const mapped = (given.mappedFields ?? {}) as Record<string, unknown>;
  const providers = Array.isArray(given.providers) ? (given.providers as Record<string, unknown>[]) : [];
  return {
    enabled: given.enabled === true,
    mappedFields: {
      id: text(mapped.id),
      name: text(mapped.name),
      username: text(mapped.username),
      avatarURL: text(mapped.avatarURL),
    },
    providers: providers.map((p) => ({
      name: text(p.name),
      clientId: text(p.clientId),
      clientSecret: text(p.clientSecret),
      authURL: text(p.authURL),
      tokenURL: text(p.tokenURL),
      userInfoURL: text(p.userInfoURL),
      displayName: text(p.displayName),
      pkce: typeof p.pkce === 'boolean' ? p.pkce : null,
      extra: p.extra && typeof p.extra === 'object' ? (p.extra as Record<string, unknown>) : {},
    })),
  };
}
