// The provider registry: a new provider is one module and one line here (and its name in provider-names.ts).
import type { OAuth2ProviderName } from '../provider-names.js';
import type { ProviderDefinition } from '../provider.js';
import { apple } from './apple.js';
import { discord } from './discord.js';
import { facebook } from './facebook.js';
import { github } from './github.js';
import { gitlab } from './gitlab.js';
import { google } from './google.js';
import { microsoft } from './microsoft.js';
import { oidc, oidc2, oidc3 } from './oidc.js';

const PROVIDERS: Record<OAuth2ProviderName, ProviderDefinition> = {
  apple,
  discord,
  facebook,
  github,
  gitlab,
  google,
  microsoft,
  oidc,
  oidc2,
  oidc3,
};

export function providerDefinition(name: string): ProviderDefinition | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as OAuth2ProviderName] : undefined;
}
