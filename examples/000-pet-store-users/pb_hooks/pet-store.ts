// Seed 000 (pet store): POST /users registers an account and answers the user with an auth token;
// GET, PUT and DELETE /users/{id} take that token. Errors keep Satchel's default shape {status, message, data}.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, rateLimit, readBody, requestInfo, v } from 'satchel';
import type { Access, AppEnv, RecordJson, SatchelApp } from 'satchel';

/** Registrations per client IP and minute; the 6th answers 429 with Retry-After. */
export const REGISTRATIONS_PER_MINUTE = 5;

/** The fields of the pet store's User, in its order; password is write-only. */
const USER_FIELDS = ['username', 'firstName', 'lastName', 'email', 'phone'] as const;

function toPetStoreUser(record: RecordJson): Record<string, unknown> {
  const user: Record<string, unknown> = { id: record.id };
  for (const name of USER_FIELDS) user[name] = record[name];
  return user;
}

/** The keys of `body` that are in `names` (anything else a client sends is ignored). */
function pick(body: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => names.includes(key)));
}

/** True when the request carries a token (`Authorization: <token>` or `Bearer <token>`), valid or not. */
function sentToken(c: Context<AppEnv>): boolean {
  return (c.req.header('authorization') ?? '').trim() !== '';
}

/** The caller, who must be signed in: a sent token that did not verify, or none, is a 401. */
function signedIn(c: Context<AppEnv>): Access {
  const access = c.get('access');
  if (!access.superuser && !access.auth) {
    throw ApiError.unauthorized(
      sentToken(c) ? 'The token is invalid or expired.' : 'This route needs a token: Authorization: Bearer <token>.',
    );
  }
  return access;
}

/** Users may act on their own account only; superusers on any. */
function assertOwnAccount(access: Access, id: string): void {
  const own = access.auth?.collectionName === 'users' && access.auth.id === id;
  if (!access.superuser && !own) throw ApiError.forbidden('You can only act on your own account.');
}

export default function petStoreUsers(app: SatchelApp): void {
  describeRoutes(app);

  // Routes outside /api/ do not get the built-in body limit: a user record needs far less than 64 KiB.
  const limitBody = bodyLimit({
    maxSize: 64 * 1024,
    onError: () => {
      throw ApiError.tooLarge();
    },
  });
  app.hono.use('/users', limitBody);
  app.hono.use('/users/*', limitBody);

  app.hono.post('/users', rateLimit({ max: REGISTRATIONS_PER_MINUTE, windowSeconds: 60 }), async (c) => {
    const access = c.get('access');
    // Public registration: no token is needed, but one that is sent must be good.
    if (sentToken(c)) signedIn(c);
    if (access.auth && !access.superuser)
      throw ApiError.forbidden('You are signed in: sign out to register a new account.');
    const body = await readBody(c);
    // The pet store has no passwordConfirm: the password confirms itself.
    const input = { ...pick(body, [...USER_FIELDS, 'password']), passwordConfirm: body.password };
    const created = await app.records.create('users', input, access, requestInfo(c, body));
    // Sign the new user in: a token for this record, and the record as its owner sees it (e-mail included).
    const users = app.records.collection('users');
    const { token, record } = await app.auth.respondById(users, String(created.id), access);
    return c.json({ user: toPetStoreUser(record), token }, 201);
  });

  app.hono.get('/users/:id', async (c) => {
    const access = signedIn(c);
    const id = c.req.param('id');
    assertOwnAccount(access, id);
    return c.json(toPetStoreUser(await app.records.view('users', id, access, requestInfo(c))));
  });

  app.hono.put('/users/:id', async (c) => {
    const access = signedIn(c);
    const id = c.req.param('id');
    assertOwnAccount(access, id);
    const body = await readBody(c);
    // A new password needs the current one (`oldPassword`), as in PocketBase, and signs the user out everywhere.
    const input = { ...pick(body, [...USER_FIELDS, 'password', 'oldPassword']), passwordConfirm: body.password };
    const updated = await app.records.update('users', id, input, access, requestInfo(c, body));
    return c.json(toPetStoreUser(updated));
  });

  app.hono.delete('/users/:id', async (c) => {
    const access = signedIn(c);
    const id = c.req.param('id');
    assertOwnAccount(access, id);
    await app.records.delete('users', id, access, requestInfo(c));
    return c.body(null, 204);
  });
}

/** The routes in the API reference (/api/docs): the seed's shapes, the fields checked as the collection checks them. */
function describeRoutes(app: SatchelApp): void {
  const field = (name: string) => app.fieldSchema('users', name);
  const user = () =>
    v.object({
      id: v.string(),
      username: v.string(),
      firstName: v.string(),
      lastName: v.string(),
      email: v.string(),
      phone: v.string(),
    });
  const fields = () => ({
    username: field('username'),
    firstName: field('firstName'),
    lastName: field('lastName'),
    email: field('email'),
    password: v.pipe(v.string(), v.minLength(8)),
    phone: v.optional(field('phone')),
  });
  const tag = 'User (seed 000)';
  const seedBody = {
    username: 'kylekinh',
    firstName: 'Kyle',
    lastName: 'Kihn',
    email: 'kyle.kihn@example.com',
    password: 'SecurePass123!',
    phone: '+18638982053',
  };
  const { password: _password, ...shown } = seedBody;
  const seedUser = { id: 'k3j9x0q2m1b7c4d', ...shown };
  const needsToken = {
    description: 'No token, or one that does not verify.',
    error: { message: 'The token is invalid or expired.' },
  };
  const notOwn = {
    description: "Another user's account.",
    error: { message: 'You can only act on your own account.' },
  };
  const missing = { description: 'No such account.', error: { message: "The requested resource wasn't found." } };
  app.describeRoute(() => ({
    method: 'post',
    path: '/users',
    tag,
    summary: 'Create User',
    description: 'Register a new user account. Returns user details and authentication token. No token is needed.',
    auth: 'optional',
    body: v.object(fields()),
    examples: {
      seed: { summary: "The seed's request", value: seedBody, status: 201 },
      missingFields: { summary: 'A body without its fields', value: {}, status: 400 },
    },
    responses: {
      201: {
        description: 'User created successfully.',
        body: v.object({ user: user(), token: v.string() }),
        example: { user: seedUser, token: 'eyJhbGciOi...' },
      },
      400: {
        description: 'A missing field or a bad value, named; a taken username or e-mail.',
        error: {
          message: 'Failed to create record.',
          data: { username: { code: 'validation_required', message: 'Cannot be blank.' } },
        },
      },
      401: needsToken,
      403: {
        description: 'A signed-in user may not register another account.',
        error: { message: 'You are signed in: sign out to register a new account.' },
      },
      413: { description: 'A body over 64 KiB.', error: { message: 'Request entity too large.' } },
      429: {
        description: `More than ${REGISTRATIONS_PER_MINUTE} registrations from one client in a minute (Retry-After says when).`,
        error: { message: 'Too Many Requests.' },
      },
      500: {
        description: 'Something failed on the server; nothing of the cause is told.',
        error: { message: 'Something went wrong while processing your request.' },
      },
    },
  }));
  app.describeRoute(() => ({
    method: 'get',
    path: '/users/:id',
    tag,
    summary: 'Get User',
    auth: 'required',
    responses: {
      200: { description: 'The account.', body: user(), example: seedUser },
      401: needsToken,
      403: notOwn,
      404: missing,
    },
  }));
  app.describeRoute(() => ({
    method: 'put',
    path: '/users/:id',
    tag,
    summary: 'Update User',
    description:
      'Changes the fields sent. A new password needs the current one (`oldPassword`) and signs the user out everywhere.',
    auth: 'required',
    body: v.partial(v.object({ ...fields(), oldPassword: v.string() })),
    responses: {
      200: { description: 'The updated account.', body: user(), example: seedUser },
      400: {
        description: 'A bad value, named.',
        error: {
          message: 'Failed to update record.',
          data: { email: { code: 'validation_is_email', message: 'Must be a valid email address.' } },
        },
      },
      401: needsToken,
      403: notOwn,
      404: missing,
    },
  }));
  app.describeRoute(() => ({
    method: 'delete',
    path: '/users/:id',
    tag,
    summary: 'Delete User Account',
    auth: 'required',
    responses: {
      204: { description: 'Deleted; its tokens stop working.' },
      401: needsToken,
      403: notOwn,
      404: missing,
    },
  }));
}
