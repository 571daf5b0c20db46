// An auth collection's `oauth2` options (PocketBase's shape) checked when a collection file is read, and the
// client secrets they hold: never shown by the collections API, kept when an update sends a provider back
// without one.
import * as v from 'valibot';
import { OAUTH2_PROVIDER_NAMES, isOAuth2ProviderName } from '../auth/oauth2/provider-names.js';

const optionalText = v.optional(v.string(), '');

const providerSchema = v.strictObject({
  name: v.string(),
  clientId: optionalText,
  clientSecret: optionalText,
  authURL: optionalText,
  tokenURL: optionalText,
  userInfoURL: optionalText,
  displayName: optionalText,
  pkce: v.optional(v.nullable(v.boolean())),
  extra: v.optional(v.nullable(v.record(v.string(), v.unknown()))),
});

const oauth2Schema = v.strictObject({
  enabled: v.optional(v.boolean(), false),
  mappedFields: v.optional(
    v.strictObject({ id: optionalText, name: optionalText, username: optionalText, avatarURL: optionalText }),
    {},
  ),
  providers: v.optional(v.nullable(v.array(providerSchema)), []),
});

const isHttpUrl = (value: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

/**
 * The first problem of an `oauth2` value as `path: message` (the path from `oauth2`), or undefined when it is
 * fine. `fieldNames` are the collection's fields, which `mappedFields` must name.
 */
export function oauth2Problem(value: unknown, fieldNames: readonly string[]): string | undefined {
  const parsed = v.safeParse(oauth2Schema, value);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = ['oauth2', ...(issue.path?.map((p) => String(p.key)) ?? [])].join('.');
    return `${path}: ${issue.message}`;
  }
  const { enabled, mappedFields, providers } = parsed.output;
  for (const [key, field] of Object.entries(mappedFields)) {
    if (field && !fieldNames.includes(field)) return `oauth2.mappedFields.${key}: there is no field "${field}"`;
  }
  const seen = new Set<string>();
  for (const [i, p] of (providers ?? []).entries()) {
    const at = `oauth2.providers.${i}`;
    if (!isOAuth2ProviderName(p.name)) {
      return `${at}.name: unknown provider "${p.name}" (one of ${OAUTH2_PROVIDER_NAMES.join(', ')})`;
    }
    if (seen.has(p.name)) return `${at}.name: the provider ${p.name} is listed twice`;
    seen.add(p.name);
    for (const key of ['authURL', 'tokenURL', 'userInfoURL'] as const) {
      if (p[key] && !isHttpUrl(p[key])) return `${at}.${key}: must be an http(s) URL`;
    }
    const issuer = p.extra?.issuer;
    if (issuer !== undefined && (typeof issuer !== 'string' || !isHttpUrl(issuer))) {
      return `${at}.extra.issuer: must be an http(s) URL`;
    }
    // Like PocketBase, a provider is complete only when OAuth2 is on: a draft may sit in a file switched off.
    if (!enabled) continue;
    if (!p.clientId) return `${at}.clientId: cannot be blank`;
    if (!p.clientSecret) return `${at}.clientSecret: cannot be blank`;
    if (p.name.startsWith('oidc') && !issuer && !(p.authURL && p.tokenURL && (p.userInfoURL || p.extra?.jwksURL))) {
      return `${at}: an OpenID Connect provider needs extra.issuer (discovery), or authURL, tokenURL and userInfoURL (or extra.jwksURL)`;
    }
  }
  return undefined;
}

type Json = Record<string, unknown>;

function providersOf(json: Json | undefined): Json[] | undefined {
  const oauth2 = json?.oauth2;
  if (!oauth2 || typeof oauth2 !== 'object') return undefined;
  const providers = (oauth2 as Json).providers;
  return Array.isArray(providers) ? (providers as Json[]) : undefined;
}

/** The collection JSON without its OAuth2 client secrets (PocketBase omits them from every answer). */
export function withoutProviderSecrets(json: Json): Json {
  const providers = providersOf(json);
  if (!providers) return json;
  return {
    ...json,
    oauth2: {
      ...(json.oauth2 as Json),
      providers: providers.map((p) => {
        if (!p || typeof p !== 'object') return p;
        const { clientSecret: _secret, ...shown } = p;
        return shown;
      }),
    },
  };
}

/** `next` with each provider that has no clientSecret given the one the same provider has in `before`. */
export function keepProviderSecrets(next: Json, before: Json | undefined): Json {
  const providers = providersOf(next);
  const previous = providersOf(before);
  if (!providers || !previous) return next;
  const secrets = new Map(previous.map((p) => [p?.name, p?.clientSecret]));
  return {
    ...next,
    oauth2: {
      ...(next.oauth2 as Json),
      providers: providers.map((p) =>
        p && typeof p === 'object' && !p.clientSecret && typeof secrets.get(p.name) === 'string'
          ? { ...p, clientSecret: secrets.get(p.name) }
          : p,
      ),
    },
  };
}
