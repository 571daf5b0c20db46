// OpenID Connect id_tokens: the signature checked against the provider's published keys (JWKS), then issuer,
// audience, expiry and the nonce this flow sent. jose does the cryptography.
import { createHash } from 'node:crypto';
import type { JWTPayload } from 'jose';
import type * as JoseErrors from 'jose/errors';
import type { createRemoteJWKSet } from 'jose/jwks/remote';
import { PROVIDER_TIMEOUT_MS, ProviderError } from './http.js';

/** Clock difference allowed between Satchel and a provider, in seconds (PocketBase allows 5 minutes). */
const CLOCK_TOLERANCE_S = 300;

/** Key sets by URL: jose caches the keys and refetches them when a token names an unknown key. */
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** jose's modules this file needs, loaded with the first id_token (a start that verifies none never pays). */
const jose = async () => {
  const [remote, verify, errors] = await Promise.all([
    import('jose/jwks/remote'),
    import('jose/jwt/verify'),
    import('jose/errors'),
  ]);
  return { createRemoteJWKSet: remote.createRemoteJWKSet, jwtVerify: verify.jwtVerify, errors };
};

function keySet(jwksURL: string, create: typeof createRemoteJWKSet): ReturnType<typeof createRemoteJWKSet> {
  let set = keySets.get(jwksURL);
  if (!set) {
    set = create(new URL(jwksURL), { timeoutDuration: PROVIDER_TIMEOUT_MS });
    // A provider removed from the settings should not keep its keys forever: a small, bounded cache.
    if (keySets.size >= 32) keySets.delete(keySets.keys().next().value!);
    keySets.set(jwksURL, set);
  }
  return set;
}

/**
 * The nonce that goes with a PKCE code verifier. The SDK sends the verifier back with the code, so the nonce
 * needs no server state: a token issued for another sign-in (another verifier) carries another nonce.
 */
export function nonceFor(codeVerifier: string): string {
  return createHash('sha256').update(`satchel-oidc-nonce:${codeVerifier}`).digest('base64url');
}

export interface IdTokenCheck {
  jwksURL: string;
  /** Accepted `iss` values (empty: any). */
  issuers: string[];
  /** The client id: it must be in `aud`. */
  audience: string;
  /** The nonce the auth URL carried, when it carried one. */
  nonce?: string;
}

/** The claims of a valid id_token; a ProviderError that names the problem otherwise. */
export async function verifyIdToken(idToken: string | undefined, check: IdTokenCheck): Promise<JWTPayload> {
  if (!idToken) throw new ProviderError('the provider sent no id_token');
  const { createRemoteJWKSet, jwtVerify, errors } = await jose();
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keySet(check.jwksURL, createRemoteJWKSet), {
      audience: check.audience,
      ...(check.issuers.length ? { issuer: check.issuers } : {}),
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (err) {
    throw new ProviderError(`the id_token is not valid: ${idTokenProblem(err, errors)}`);
  }
  if (check.nonce !== undefined && payload.nonce !== check.nonce) {
    throw new ProviderError('the id_token is not valid: its nonce is not the one this sign-in sent');
  }
  return payload;
}

function idTokenProblem(err: unknown, errors: typeof JoseErrors): string {
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'its signature does not verify';
  if (err instanceof errors.JWKSNoMatchingKey) return "no key of the provider's key set matches it";
  if (err instanceof errors.JWTExpired) return 'it has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `its "${err.claim}" claim is wrong (${err.reason})`;
  if (err instanceof errors.JOSEError) return err.message;
  return 'it could not be checked';
}
