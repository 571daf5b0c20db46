// The `oauth2.providers` list of auth-methods: for each enabled provider a fresh state, PKCE pair and the auth
// URL to send the user to, as PocketBase answers it (the SDK appends its redirect URL to `authURL`).
import type { Collection } from '../../collections/model.js';
import { randomString } from '../../ids.js';
import { nonceFor } from './id-token.js';
import { oauth2Options, type ProviderConfig } from './options.js';
import {
  buildAuthURL,
  codeChallenge,
  configuredEndpoints,
  type Endpoints,
  type ProviderDefinition,
} from './provider.js';
import { providerDefinition } from './providers/index.js';

export interface ProviderInfo {
  name: string;
  displayName: string;
  state: string;
  authURL: string;
  /** The same, under its pre-0.23 name. */
  authUrl: string;
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: string;
}

/** A provider ready to use: its module, the collection's settings and the endpoints they give. */
export interface ReadyProvider {
  definition: ProviderDefinition;
  config: ProviderConfig;
  endpoints: Endpoints;
  pkce: boolean;
}

/** The provider `name` of the collection, with its endpoints resolved (OpenID Connect discovery may fetch). */
export async function readyProvider(config: ProviderConfig): Promise<ReadyProvider | undefined> {
  const definition = providerDefinition(config.name);
  if (!definition) return undefined;
  const configured = configuredEndpoints(definition, config);
  const endpoints = definition.resolveEndpoints ? await definition.resolveEndpoints(config, configured) : configured;
  return { definition, config, endpoints, pkce: config.pkce ?? definition.pkce };
}

/** The nonce a sign-in carries: only providers that check an id_token, and only with PKCE (see nonceFor). */
export function nonceOf(ready: ReadyProvider, codeVerifier: string): string | undefined {
  return ready.definition.nonce && ready.pkce && codeVerifier ? nonceFor(codeVerifier) : undefined;
}

/** Every enabled provider of the collection; one that cannot be set up now (discovery down) is left out. */
export async function providersInfo(collection: Collection): Promise<ProviderInfo[]> {
  const options = oauth2Options(collection);
  if (!options.enabled) return [];
  const out: ProviderInfo[] = [];
  for (const config of options.providers) {
    let ready: ReadyProvider | undefined;
    try {
      ready = await readyProvider(config);
    } catch (err) {
      console.warn(`[satchel] OAuth2 provider ${config.name} of ${collection.name} left out:`, (err as Error).message);
    }
    if (!ready) continue;
    const state = randomString(30);
    const verifier = ready.pkce ? randomString(43) : '';
    const challenge = verifier ? codeChallenge(verifier) : '';
    const nonce = nonceOf(ready, verifier);
    const authURL = buildAuthURL(ready.definition, config, ready.endpoints, {
      state,
      ...(challenge ? { codeChallenge: challenge } : {}),
      ...(nonce ? { nonce } : {}),
    });
    out.push({
      name: config.name,
      displayName: config.displayName || ready.definition.displayName,
      state,
      authURL,
      authUrl: authURL,
      codeVerifier: verifier,
      codeChallenge: challenge,
      codeChallengeMethod: verifier ? 'S256' : '',
    });
  }
  return out;
}
