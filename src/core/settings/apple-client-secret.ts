// POST /api/settings/apple/generate-client-secret: Sign in with Apple wants its OAuth2 client secret as an ES256
// JWT signed with the developer's key; PocketBase's dashboard makes it from the key, and so does Satchel.
import { invalidForm, throwIfInvalid } from '../auth/form.js';
import type { ErrorData } from '../errors.js';

/** Apple's longest allowed lifetime for a client secret: about six months. */
const MAX_DURATION = 15_777_000;
const REQUIRED = { code: 'validation_required', message: 'Cannot be blank.' };
const PEM = /^-----BEGIN PRIVATE KEY-----[\s\S]+-----END PRIVATE KEY-----$/;

export async function appleClientSecret(body: Record<string, unknown>): Promise<{ secret: string }> {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string).trim() : '');
  const [clientId, teamId, keyId, privateKey] = ['clientId', 'teamId', 'keyId', 'privateKey'].map(text) as [
    string,
    string,
    string,
    string,
  ];
  const duration = body.duration;
  const data: ErrorData = {};
  if (!clientId) data.clientId = REQUIRED;
  for (const [key, value] of [
    ['teamId', teamId],
    ['keyId', keyId],
  ] as const) {
    if (!value) data[key] = REQUIRED;
    else if (value.length !== 10) data[key] = { code: 'validation_length_invalid', message: 'Must be 10 characters.' };
  }
  if (!privateKey) data.privateKey = REQUIRED;
  else if (!PEM.test(privateKey)) {
    data.privateKey = { code: 'validation_match_invalid', message: 'Must be a PEM private key (BEGIN PRIVATE KEY).' };
  }
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > MAX_DURATION) {
    data.duration = { code: 'validation_invalid_value', message: `Must be 1 to ${MAX_DURATION} seconds.` };
  }
  throwIfInvalid(data);
  // jose is loaded when first needed (tokens do the same): a start should not pay for it.
  const [{ importPKCS8 }, { SignJWT }] = await Promise.all([import('jose/key/import'), import('jose/jwt/sign')]);
  let key: Awaited<ReturnType<typeof importPKCS8>>;
  try {
    key = await importPKCS8(privateKey, 'ES256');
  } catch {
    throw invalidForm({ privateKey: { code: 'validation_invalid_key', message: 'Not an ES256 (P-256) private key.' } });
  }
  const now = Math.floor(Date.now() / 1000);
  const secret = await new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: keyId })
    .setIssuer(teamId)
    .setSubject(clientId)
    .setAudience('https://appleid.apple.com')
    .setIssuedAt(now)
    .setExpirationTime(now + (duration as number))
    .sign(key);
  return { secret };
}
