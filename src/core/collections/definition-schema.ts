// The valibot schema of a collection file's top level (fields are checked per type in normalize.ts).
import * as v from 'valibot';

const rule = v.optional(v.nullable(v.string()), null);

/** Keys of PocketBase's auth options, accepted as written; the auth flows read them. */
const authOptionKeys = [
  'authRule',
  'manageRule',
  'authAlert',
  'oauth2',
  'passwordAuth',
  'mfa',
  'otp',
  'authToken',
  'passwordResetToken',
  'emailChangeToken',
  'verificationToken',
  'fileToken',
  'verificationTemplate',
  'resetPasswordTemplate',
  'confirmEmailChangeTemplate',
] as const;

export const AUTH_OPTION_KEYS: readonly string[] = authOptionKeys;

export const collectionFileSchema = v.strictObject({
  id: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_]{1,100}$/, 'must be letters, digits or _'))),
  name: v.pipe(
    v.string('is required'),
    v.regex(/^[A-Za-z_][A-Za-z0-9_]{0,99}$/, 'must start with a letter or _ and hold only letters, digits or _'),
  ),
  type: v.optional(v.picklist(['base', 'auth', 'view'], 'must be "base", "auth" or "view"'), 'base'),
  viewQuery: v.optional(v.string()),
  system: v.optional(v.boolean(), false),
  fields: v.optional(v.array(v.looseObject({}), 'must be a list of field objects'), []),
  indexes: v.optional(v.array(v.string()), []),
  listRule: rule,
  viewRule: rule,
  createRule: rule,
  updateRule: rule,
  deleteRule: rule,
  // Written by PocketBase's exports; accepted and ignored.
  created: v.optional(v.string()),
  updated: v.optional(v.string()),
  ...Object.fromEntries(authOptionKeys.map((k) => [k, v.optional(v.unknown())])),
});

export type CollectionFile = v.InferOutput<typeof collectionFileSchema>;
