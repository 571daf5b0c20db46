// The shapes of PUT /user (seed 002): the body's type issues as zod words them, and the 200's user object.

/** One problem with the body's types, worded as zod words it (the contract's clients expect exactly this). */
export interface TypeIssue {
  code: 'invalid_type';
  expected: string;
  received: string;
  path: string[];
  message: string;
}

/** The body's fields, all required strings, in the contract's order. */
const BODY_FIELDS = ['username', 'password', 'passwordConfirm', 'email'] as const;

/** The 200's record fields with their values when the collection lacks the field; `token` joins them. */
const RESPONSE_DEFAULTS: Record<string, unknown> = {
  avatar: '',
  bio: '',
  collectionId: '',
  collectionName: '',
  created: '',
  emailVisibility: false,
  id: '',
  updated: '',
  username: '',
  verified: false,
};

/** zod's name for the type of a parsed JSON value. */
function typeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  return typeof value;
}

function typeIssue(expected: string, value: unknown, path: string[]): TypeIssue {
  const received = typeName(value);
  const message = received === 'undefined' ? 'Required' : `Expected ${expected}, received ${received}`;
  return { code: 'invalid_type', expected, received, path, message };
}

/** Every type problem of the body: not an object, or a field missing or not a string. */
export function putUserTypeIssues(body: unknown): TypeIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [typeIssue('object', body, [])];
  const fields = body as Record<string, unknown>;
  return BODY_FIELDS.filter((key) => typeof fields[key] !== 'string').map((key) =>
    typeIssue('string', fields[key], [key]),
  );
}

/** The body's fields, in the contract's order, once every one is known to be a string. */
export function putUserInput(body: unknown): Record<string, string> {
  const fields = body as Record<string, string>;
  return Object.fromEntries(BODY_FIELDS.map((key) => [key, fields[key]!]));
}

/** The 200's user: the record's fields the contract names (defaults where the collection lacks one) plus the token, keys sorted. */
export function putUserResponse(record: Record<string, unknown>, token: string): Record<string, unknown> {
  const values: Record<string, unknown> = { ...RESPONSE_DEFAULTS, token };
  for (const key of Object.keys(RESPONSE_DEFAULTS)) if (key in record) values[key] = record[key];
  // Sorted keys, as the seed shows them.
  return Object.fromEntries(
    Object.keys(values)
      .sort()
      .map((key) => [key, values[key]]),
  );
}
