// Seed 001: POST /v1/users signs a user up (or an admin creates one with a superuser token) and answers
// {id: "user_…", email, name, status, created_at, updated_at}; errors are {error, message}.
import { randomInt } from 'node:crypto';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, readBody, requestInfo, SUPERUSER, v } from 'satchel';
import type { AppEnv, RecordJson, SatchelApp } from 'satchel';

type ErrorCode = 'invalid_request' | 'email_exists' | 'unauthorized' | 'internal_error';

function fail(c: Context<AppEnv>, status: 400 | 401 | 409 | 413 | 500, error: ErrorCode, message: string): Response {
  return c.json({ error, message }, status);
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** `user_` and 15 random characters: what the collection's id field allows (see collections/users.json). */
function newUserId(): string {
  let id = 'user_';
  for (let i = 0; i < 15; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

/** `2025-09-18 19:40:00.123Z` (Satchel's format) -> `2025-09-18T19:40:00Z` (ISO 8601, as the contract shows). */
function iso8601(datetime: unknown): string {
  return String(datetime)
    .replace(' ', 'T')
    .replace(/\.\d+Z$/, 'Z');
}

function toV1User(record: RecordJson): Record<string, unknown> {
  return {
    id: record.id,
    email: record.email,
    name: record.name,
    status: record.status,
    created_at: iso8601(record.created),
    updated_at: iso8601(record.updated),
  };
}

/** "email: Must be a valid email address." for each field the engine refused. */
function describe(err: ApiError): string {
  const fields = Object.entries(err.data).map(([name, e]) => `${name}: ${String(e.message)}`);
  return fields.length ? fields.join(' ') : err.message;
}

export default function v1Users(app: SatchelApp): void {
  describeRoute(app);

  // Every new user gets a `user_…` id, whichever route creates it. A request hook runs before validation,
  // so the id field's pattern checks the value like any other.
  app.onRecordCreateRequest('users', (e) => {
    if (e.body.id === undefined || e.body.id === '') e.body.id = newUserId();
    return e.next();
  });
  // Inside the write transaction: new accounts are active unless a superuser says otherwise.
  app.onRecordCreate('users', (e) => {
    if (!e.access.superuser || !e.record.status) e.record.status = 'active';
    e.next();
  });

  const limitBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: (c) => fail(c, 413, 'invalid_request', 'The request body is too large.'),
  });

  app.hono.post('/v1/users', limitBody, async (c) => {
    const access = c.get('access');
    // No token: public sign-up. A token must be a superuser's (an admin creating an account for someone).
    if ((c.req.header('authorization') ?? '').trim() !== '') {
      if (!access.superuser && !access.auth)
        return fail(c, 401, 'unauthorized', 'The access token is invalid or expired.');
      if (!access.superuser) {
        return fail(c, 401, 'unauthorized', 'Insufficient permissions: only an admin token may create accounts.');
      }
    }
    let body: Record<string, unknown>;
    try {
      body = await readBody(c);
    } catch {
      return fail(c, 400, 'invalid_request', 'The body must be a JSON object.');
    }
    const { email, password, name } = body;
    if (typeof email !== 'string' || email === '') return fail(c, 400, 'invalid_request', 'email is required.');
    if (typeof password !== 'string' || password === '')
      return fail(c, 400, 'invalid_request', 'password is required.');
    if (name !== undefined && name !== null && typeof name !== 'string') {
      return fail(c, 400, 'invalid_request', 'name must be a string.');
    }
    try {
      const input = { email, password, passwordConfirm: password, name: name ?? '' };
      const created = await app.records.create('users', input, access, requestInfo(c, body));
      // The caller may not see the e-mail of the record (a guest signing up); the answer shows it all.
      return c.json(toV1User(await app.records.view('users', String(created.id), SUPERUSER)), 201);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status >= 500) {
        console.error('[001-v1-users] POST /v1/users failed:', err);
        return fail(c, 500, 'internal_error', 'Something went wrong while processing your request.');
      }
      const emailError = err.data.email;
      if (emailError && 'code' in emailError && emailError.code === 'validation_not_unique') {
        return fail(c, 409, 'email_exists', 'A user with this email already exists.');
      }
      if (err.status === 401 || err.status === 403) return fail(c, 401, 'unauthorized', err.message);
      return fail(c, 400, 'invalid_request', describe(err));
    }
  });
}

/** POST /v1/users in the API reference (/api/docs), as seed 001 documents it: its body, 201 and `{error, message}` errors. */
function describeRoute(app: SatchelApp): void {
  const error = (codes: ErrorCode[]) => v.object({ error: v.picklist(codes), message: v.string() });
  const seedBody = { email: 'newuser@example.com', password: 'strong_password_here', name: 'Jane Doe' };
  app.describeRoute(() => ({
    method: 'post',
    path: '/v1/users',
    tag: 'Users (seed 001)',
    summary: 'Create a new user',
    description:
      "Register a new user with the required account details. With a token, it must be an admin's (a superuser): an admin creating an account for someone.",
    auth: 'optional',
    body: v.object({
      email: v.pipe(v.string(), v.email()),
      password: v.string(),
      name: v.optional(app.fieldSchema('users', 'name')),
    }),
    examples: {
      seed: { summary: "The seed's request", value: seedBody, status: 201 },
      missingEmail: { summary: 'No e-mail', value: { password: 'strong_password_here' }, status: 400 },
      taken: { summary: 'The same e-mail again', value: seedBody, status: 409 },
    },
    responses: {
      201: {
        description: 'The user was created.',
        body: v.object({
          id: v.pipe(v.string(), v.regex(/^user_[a-z0-9]{15}$/)),
          email: v.string(),
          name: v.string(),
          status: v.picklist(['active', 'suspended']),
          created_at: v.string(),
          updated_at: v.string(),
        }),
        example: {
          id: 'user_k3j9x0q2m1b7c4d',
          email: 'newuser@example.com',
          name: 'Jane Doe',
          status: 'active',
          created_at: '2025-09-18T19:40:00Z',
          updated_at: '2025-09-18T19:40:00Z',
        },
      },
      400: {
        description: 'A field missing or invalid.',
        body: error(['invalid_request']),
        example: { error: 'invalid_request', message: 'email is required.' },
      },
      401: {
        description: "A token that is not an admin's.",
        body: error(['unauthorized']),
        example: { error: 'unauthorized', message: 'The access token is invalid or expired.' },
      },
      409: {
        description: 'The e-mail is taken.',
        body: error(['email_exists']),
        example: { error: 'email_exists', message: 'A user with this email already exists.' },
      },
      500: {
        description: 'Something failed on the server.',
        body: error(['internal_error']),
        example: { error: 'internal_error', message: 'Something went wrong while processing your request.' },
      },
    },
  }));
}
