// PUT /user in the API reference: the contract's body, its 200 (the user plus a token) and its two 400 shapes.
import * as v from 'valibot';
import type { Collection } from '../../core/collections/model.js';
import type { RouteDoc } from '../../core/openapi/routes.js';
import type { ErrorFormat } from '../../core/settings/settings.js';

const body = v.object({
  username: v.string(),
  password: v.string(),
  passwordConfirm: v.string(),
  email: v.pipe(v.string(), v.email()),
});

const user = v.object({
  avatar: v.string(),
  bio: v.string(),
  collectionId: v.string(),
  collectionName: v.string(),
  created: v.string(),
  emailVisibility: v.boolean(),
  id: v.string(),
  token: v.string(),
  updated: v.string(),
  username: v.string(),
  verified: v.boolean(),
});

/** A body field that is missing or not a string, as zod words it. */
const typeIssue = v.object({
  code: v.literal('invalid_type'),
  expected: v.string(),
  received: v.string(),
  path: v.array(v.string()),
  message: v.string(),
});

const fieldErrors = v.record(v.string(), v.object({ code: v.string(), message: v.string() }));

/** The contract's 400s in PocketBase's format: type issues, or the record's field errors under `detail`. */
const pocketbase400 = v.union([
  v.object({ message: v.literal('invalid_params'), detail: v.array(typeIssue) }),
  v.object({
    message: v.string(),
    detail: v.object({ code: v.literal(400), message: v.string(), data: fieldErrors }),
  }),
]);

/** The same 400s as problem details: the type issues or the field errors under `errors`. */
const problem400 = v.object({
  type: v.string(),
  title: v.string(),
  status: v.literal(400),
  detail: v.string(),
  instance: v.string(),
  errors: v.optional(v.union([v.array(typeIssue), fieldErrors])),
});

/** The collection's required fields the contract's body cannot fill (a sign-up there is always a 400). */
function unfillable(collection: Collection): string[] {
  const sent = new Set(['username', 'email', 'password']);
  return collection.fields
    .filter((f) => f.required && !f.system && !sent.has(f.name) && !f.autogeneratePattern)
    .map((f) => f.name);
}

export function describePutUser(format: ErrorFormat, collection: Collection): RouteDoc {
  const example = { username: 'bob.k', password: 'secret123', passwordConfirm: 'secret123', email: 'bob@example.com' };
  const missing = unfillable(collection);
  return {
    method: 'put',
    path: '/user',
    tag: 'PUT /user',
    summary: 'Sign up to users and get a token (the PUT /user contract)',
    description:
      'Creates a `users` record through the record engine (its create rule, validation and hooks) and answers it with a token. A superuser switches it off with `PATCH /api/settings` `{"putUser": {"enabled": false}}`.' +
      (missing.length
        ? ` Here the collection also requires ${missing.map((f) => `\`${f}\``).join(', ')}, which the contract does not send: every sign-up answers 400.`
        : ''),
    auth: 'none',
    body,
    examples: {
      ...(missing.length ? {} : { signedUp: { summary: 'A new user', value: example, status: 200 } }),
      missingFields: { summary: 'A body without its fields', value: {}, status: 400 },
    },
    responses: {
      200: {
        description: 'The new user, with a token.',
        body: user,
        example: {
          avatar: '',
          bio: '',
          collectionId: '_pb_users_auth_',
          collectionName: 'users',
          created: '2025-01-03 12:23:01.865Z',
          emailVisibility: false,
          id: 'pog9x4cmn9mic2r',
          token: 'eyJhbGciOi...',
          updated: '2025-01-03 12:23:01.865Z',
          username: 'bob.k',
          verified: false,
        },
      },
      400: {
        description:
          'A field missing or not text (`invalid_params`), or the record refused (e.g. the e-mail is taken).',
        ...(format === 'problem+json'
          ? { body: problem400, contentType: 'application/problem+json' }
          : {
              body: pocketbase400,
              example: {
                message: 'Failed to create record.',
                detail: {
                  code: 400,
                  message: 'Failed to create record.',
                  data: { email: { code: 'validation_not_unique', message: 'Value must be unique.' } },
                },
              },
            }),
      },
    },
    sdk: `import PocketBase from 'pocketbase';\n\nconst pb = new PocketBase('http://127.0.0.1:8090');\nconst user = await pb.send('/user', { method: 'PUT', body: ${JSON.stringify(example)} });`,
  };
}
