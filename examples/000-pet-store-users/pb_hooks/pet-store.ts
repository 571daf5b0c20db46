// Seed 000 (pet store): POST /users registers an account and answers the user with an auth token;
// GET, PUT and DELETE /users/{id} take that token. Errors keep Satchel's default shape {status, message, data}.
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, rateLimit, readBody, requestInfo } from 'satchel';
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
