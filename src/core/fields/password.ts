// The `password` field (auth collections): a plain password in, an argon2id hash stored, never shown. A bcrypt
// hash (a PocketBase import) is accepted too, and is outdated: the next sign-in that matches it replaces it.
import * as v from 'valibot';
import { hashPassword, verifyPassword } from '../passwords/argon2.js';
import { isBcryptHash, verifyBcrypt } from '../passwords/bcrypt.js';
import { castText, optionalCount, optionsSchema, type OptionsOf } from './common.js';
import { decodeIssue } from './issue.js';
import { textSchema } from './text.js';
import type { FieldType } from './types.js';

const passwordOptions = optionsSchema({
  min: optionalCount,
  max: optionalCount,
  pattern: v.optional(v.string()),
  cost: optionalCount,
});

type PasswordOptions = OptionsOf<typeof passwordOptions>;

/** argon2 reads at most 71 bytes of a password in bcrypt-compatible tools; PocketBase caps it there too. */
const MAX_LENGTH = 71;

export const passwordField: FieldType<PasswordOptions> = {
  type: 'password',
  options: passwordOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: castText,
  schema: (field) => textSchema(field, MAX_LENGTH),
  toDb: (value) => value,
  fromDb: (value) => value,
  authOnly: true,
  sealed: {
    check: (plain, field) => {
      const result = v.safeParse(textSchema({ ...field, required: true }, MAX_LENGTH), plain, { abortPipeEarly: true });
      return result.success ? undefined : decodeIssue(result.issues[0]!.message);
    },
    seal: (plain) => hashPassword(plain),
    matches: (stored, plain) => (isBcryptHash(stored) ? verifyBcrypt(stored, plain) : verifyPassword(stored, plain)),
    outdated: (stored) => isBcryptHash(stored),
  },
};
