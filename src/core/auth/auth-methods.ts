// GET auth-methods: what a client may sign in with, in PocketBase's shape (legacy keys included).
import type { Collection } from '../collections/model.js';
import { mfaOptions } from './mfa.js';
import { otpOptions } from './otp.js';
import { passwordAuthOptions } from './password-auth.js';

export interface AuthMethods {
  password: { identityFields: string[]; enabled: boolean };
  oauth2: { providers: unknown[]; enabled: boolean };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
  /** Legacy keys (PocketBase < 0.23 clients). */
  authProviders: unknown[];
  usernamePassword: boolean;
  emailPassword: boolean;
}

/** OAuth2 is not implemented yet, so it is reported off whatever the collection file says. */
export function authMethods(collection: Collection): AuthMethods {
  const password = passwordAuthOptions(collection);
  const otp = otpOptions(collection);
  const mfa = mfaOptions(collection);
  const identityFields = password.enabled ? password.identityFields : [];
  return {
    password: { identityFields, enabled: password.enabled },
    oauth2: { providers: [], enabled: false },
    mfa: { enabled: mfa.enabled, duration: mfa.enabled ? mfa.duration : 0 },
    otp: { enabled: otp.enabled, duration: otp.enabled ? otp.duration : 0 },
    authProviders: [],
    usernamePassword: password.enabled && identityFields.includes('username'),
    emailPassword: password.enabled && identityFields.includes('email'),
  };
}
