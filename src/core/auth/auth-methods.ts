// GET auth-methods: what a client may sign in with, in PocketBase's shape (legacy keys included).
import type { Collection } from '../collections/model.js';
import { mfaOptions } from './mfa.js';
import { oauth2Options } from './oauth2/options.js';
import { providersInfo, type ProviderInfo } from './oauth2/providers-info.js';
import { otpOptions } from './otp.js';
import { passwordAuthOptions } from './password-auth.js';

export interface AuthMethods {
  password: { identityFields: string[]; enabled: boolean };
  oauth2: { providers: ProviderInfo[]; enabled: boolean };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
  /** Legacy keys (PocketBase < 0.23 clients). */
  authProviders: ProviderInfo[];
  usernamePassword: boolean;
  emailPassword: boolean;
}

/** What the collection allows; each OAuth2 provider comes with a fresh state and PKCE pair. */
export async function authMethods(collection: Collection): Promise<AuthMethods> {
  const password = passwordAuthOptions(collection);
  const otp = otpOptions(collection);
  const mfa = mfaOptions(collection);
  const identityFields = password.enabled ? password.identityFields : [];
  const oauth2 = oauth2Options(collection).enabled;
  const providers = oauth2 ? await providersInfo(collection) : [];
  return {
    password: { identityFields, enabled: password.enabled },
    oauth2: { providers, enabled: oauth2 },
    mfa: { enabled: mfa.enabled, duration: mfa.enabled ? mfa.duration : 0 },
    otp: { enabled: otp.enabled, duration: otp.enabled ? otp.duration : 0 },
    authProviders: providers,
    usernamePassword: password.enabled && identityFields.includes('username'),
    emailPassword: password.enabled && identityFields.includes('email'),
  };
}
