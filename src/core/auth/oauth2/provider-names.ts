// The OAuth2 providers Satchel knows, by the name a collection's `oauth2.providers[].name` uses (PocketBase's
// names). A tiny module of its own so the collection loader can check names without loading the providers.

export const OAUTH2_PROVIDER_NAMES = [
  'apple',
  'discord',
  'facebook',
  'github',
  'gitlab',
  'google',
  'microsoft',
  // PocketBase's generic OpenID Connect provider, three times so that three different issuers can be set up.
  'oidc',
  'oidc2',
  'oidc3',
] as const;

export type OAuth2ProviderName = (typeof OAUTH2_PROVIDER_NAMES)[number];

export function isOAuth2ProviderName(name: string): name is OAuth2ProviderName {
  return (OAUTH2_PROVIDER_NAMES as readonly string[]).includes(name);
}
