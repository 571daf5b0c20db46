// The body of auth-with-oauth2 (`provider`, `code`, `codeVerifier`, `redirectURL`, `createData`), checked as
// PocketBase checks it.
import type { ErrorData } from '../../errors.js';
import { REQUIRED, text, throwIfInvalid } from '../form.js';
import type { OAuth2Options, ProviderConfig } from './options.js';

export interface SignInForm {
  config: ProviderConfig;
  code: string;
  codeVerifier: string;
  redirectURL: string;
  createData: Record<string, unknown>;
}

/** Reads the body; a 400 naming the fields when the provider is unknown or the code missing. */
export function readSignInForm(body: Record<string, unknown>, options: OAuth2Options): SignInForm {
  const data: ErrorData = {};
  const name = text(body, 'provider');
  const code = text(body, 'code');
  const config = options.providers.find((p) => p.name === name);
  if (!name) data.provider = REQUIRED;
  else if (!config) {
    data.provider = {
      code: 'validation_invalid_provider',
      message: `Provider with name ${name.slice(0, 100)} is missing or is not enabled.`,
    };
  }
  if (!code) data.code = REQUIRED;
  const createData = body.createData ?? {};
  if (typeof createData !== 'object' || createData === null || Array.isArray(createData)) {
    data.createData = { code: 'validation_invalid_value', message: 'Must be an object.' };
  }
  throwIfInvalid(data);
  return {
    config: config!,
    code,
    codeVerifier: text(body, 'codeVerifier'),
    // `redirectUrl` is the pre-0.23 name.
    redirectURL: text(body, 'redirectURL') || text(body, 'redirectUrl'),
    createData: createData as Record<string, unknown>,
  };
}
