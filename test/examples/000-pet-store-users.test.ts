// examples/000-pet-store-users against seed 000: POST /users (201 user + token, 400/401/403/429/500) and the
// user's own routes GET/PUT/DELETE /users/{id} with that token (401/403/404).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { breakDatabase, call, exampleApp, keys, superuserToken, type ExampleApp } from './helpers.js';

const EXAMPLE = '000-pet-store-users';

/** The seed's own request body. */
const SEED_BODY = {
  username: 'kylekinh',
  firstName: 'Kyle',
  lastName: 'Kihn',
  email: 'kyle.kihn@example.com',
  password: 'SecurePass123!',
  phone: '+18638982053',
};
const USER_KEYS = ['email', 'firstName', 'id', 'lastName', 'phone', 'username'];

let made: ExampleApp[] = [];
afterEach(async () => {
  for (const m of made) await m.cleanup();
  made = [];
  vi.restoreAllMocks();
});
async function start() {
  const m = await exampleApp(EXAMPLE);
  made.push(m);
  return m.app;
}

function expectPocketBaseError(json: any, status: number) {
  expect(keys(json)).toEqual(['data', 'message', 'status']);
  expect(json.status).toBe(status);
  expect(typeof json.message).toBe('string');
}

describe('POST /users (seed 000)', () => {
  it("answers the seed's request with 201, the user and a token", async () => {
    const app = await start();
    const res = await call(app, 'POST', '/users', { body: SEED_BODY });
    expect(res.status, res.text).toBe(201);
    expect(keys(res.json)).toEqual(['token', 'user']);
    expect(keys(res.json.user)).toEqual(USER_KEYS);
    const { password: _password, ...shown } = SEED_BODY;
    expect(res.json.user).toEqual({ id: expect.stringMatching(/^[a-z0-9]{15}$/), ...shown });
    expect(res.json.token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(res.text).not.toContain('SecurePass123!');
  });

  it("the token works on the user's own routes, as `Bearer <token>` or bare", async () => {
    const app = await start();
    const { json } = await call(app, 'POST', '/users', { body: SEED_BODY });
    for (const authorization of [`Bearer ${json.token}`, json.token]) {
      const res = await call(app, 'GET', `/users/${json.user.id}`, { headers: { authorization } });
      expect(res.status, res.text).toBe(200);
      expect(res.json).toEqual(json.user);
    }
    // It is a Satchel auth token like any other: the built-in routes take it too.
    const refresh = await call(app, 'POST', '/api/collections/users/auth-refresh', {
      headers: { authorization: json.token },
    });
    expect(refresh.status).toBe(200);
  });

  it('400: a missing field or a bad value, naming the fields', async () => {
    const app = await start();
    const empty = await call(app, 'POST', '/users', { body: {} });
    expect(empty.status).toBe(400);
    expectPocketBaseError(empty.json, 400);
    expect(keys(empty.json.data)).toEqual(['email', 'firstName', 'lastName', 'password', 'username']);
    expect(empty.json.data.username.code).toBe('validation_required');

    const badPhone = await call(app, 'POST', '/users', { body: { ...SEED_BODY, phone: '555-0100' } });
    expect(badPhone.status).toBe(400);
    expect(keys(badPhone.json.data)).toEqual(['phone']);

    const shortPassword = await call(app, 'POST', '/users', { body: { ...SEED_BODY, password: 'short' } });
    expect(shortPassword.status).toBe(400);
    expect(keys(shortPassword.json.data)).toEqual(['password']);
  });

  it('400: a taken username or e-mail (any case), a malformed body', async () => {
    // Five requests at most per test: the sixth would meet the example's rate limit.
    const app = await start();
    expect((await call(app, 'POST', '/users', { body: SEED_BODY })).status).toBe(201);
    const taken = await call(app, 'POST', '/users', { body: { ...SEED_BODY, email: 'other@example.com' } });
    expect(taken.status).toBe(400);
    expect(taken.json.data.username.code).toBe('validation_not_unique');
    const takenEmail = await call(app, 'POST', '/users', {
      body: { ...SEED_BODY, username: 'someone.else', email: 'KYLE.KIHN@example.com' },
    });
    expect(takenEmail.status).toBe(400);
    expect(takenEmail.json.data.email.code).toBe('validation_not_unique');

    const malformed = await call(app, 'POST', '/users', {
      body: '{"username": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expectPocketBaseError(malformed.json, 400);
  });

  it("401: the seed's request sent with a token that does not verify", async () => {
    const app = await start();
    // The seed's curl carries `Authorization: Bearer <token>`: the placeholder is not a token.
    const res = await call(app, 'POST', '/users', { body: SEED_BODY, headers: { authorization: 'Bearer <token>' } });
    expect(res.status).toBe(401);
    expectPocketBaseError(res.json, 401);
    expect((await call(app, 'POST', '/users', { body: SEED_BODY })).status).toBe(201);
  });

  it('403: a signed-in user may not register another account; a superuser may', async () => {
    const app = await start();
    const { json } = await call(app, 'POST', '/users', { body: SEED_BODY });
    const second = { ...SEED_BODY, username: 'ann.k', email: 'ann@example.com' };
    const refused = await call(app, 'POST', '/users', { body: second, headers: { authorization: json.token } });
    expect(refused.status).toBe(403);
    expectPocketBaseError(refused.json, 403);
    const admin = await superuserToken(app);
    const byAdmin = await call(app, 'POST', '/users', { body: second, headers: { authorization: admin } });
    expect(byAdmin.status, byAdmin.text).toBe(201);
  });

  it('429: the sixth registration from one client within a minute, with Retry-After', async () => {
    const app = await start();
    for (let i = 0; i < 5; i++) expect((await call(app, 'POST', '/users', { body: {} })).status).toBe(400);
    const res = await call(app, 'POST', '/users', { body: SEED_BODY });
    expect(res.status).toBe(429);
    expectPocketBaseError(res.json, 429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Only registration is limited: the user's other routes still answer.
    expect((await call(app, 'GET', '/users/abcdefghijklmno')).status).toBe(401);
  });

  it('500: an internal failure is the generic error, with nothing of the cause', async () => {
    const app = await start();
    expect((await call(app, 'POST', '/users', { body: SEED_BODY })).status).toBe(201);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    // The disk goes away while the server runs: the next registration fails inside the engine.
    await breakDatabase(app);
    const res = await call(app, 'POST', '/users', {
      body: { ...SEED_BODY, username: 'ann.k', email: 'ann@example.com' },
    });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ status: 500, message: 'Something went wrong while processing your request.', data: {} });
    expect(res.text).not.toMatch(/database|sqlite|\bat\s/i);
    expect(logged).toHaveBeenCalled();
  });
});

describe('GET, PUT and DELETE /users/{id} with the token', () => {
  async function twoUsers() {
    const app = await start();
    const kyle = (await call(app, 'POST', '/users', { body: SEED_BODY })).json;
    const ann = (
      await call(app, 'POST', '/users', {
        body: { ...SEED_BODY, username: 'ann.k', email: 'ann@example.com', firstName: 'Ann' },
      })
    ).json;
    return { app, kyle, ann };
  }

  it('401 without a token or with one that does not verify', async () => {
    const { app, kyle } = await twoUsers();
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const body = method === 'PUT' ? { firstName: 'X' } : undefined;
        const res = await call(app, method, `/users/${kyle.user.id}`, { headers, body });
        expect(res.status, `${method} ${JSON.stringify(headers)}`).toBe(401);
        expectPocketBaseError(res.json, 401);
      }
    }
  });

  it("403 on someone else's account, whatever the method", async () => {
    const { app, kyle, ann } = await twoUsers();
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await call(app, method, `/users/${ann.user.id}`, {
        headers: { authorization: kyle.token },
        body: method === 'PUT' ? { firstName: 'Mallory' } : undefined,
      });
      expect(res.status, method).toBe(403);
      expectPocketBaseError(res.json, 403);
    }
    const stillAnn = await call(app, 'GET', `/users/${ann.user.id}`, { headers: { authorization: ann.token } });
    expect(stillAnn.json.firstName).toBe('Ann');
  });

  it('404 for an account that does not exist (to a superuser, who may look at any)', async () => {
    const { app, ann } = await twoUsers();
    const admin = await superuserToken(app);
    const seen = await call(app, 'GET', `/users/${ann.user.id}`, { headers: { authorization: admin } });
    expect(seen.status).toBe(200);
    expect(keys(seen.json)).toEqual(USER_KEYS);
    const missing = await call(app, 'GET', '/users/nosuchuser0000', { headers: { authorization: admin } });
    expect(missing.status).toBe(404);
    expectPocketBaseError(missing.json, 404);
  });

  it('PUT changes the own account (validated), DELETE removes it and its token stops working', async () => {
    const { app, kyle } = await twoUsers();
    const headers = { authorization: `Bearer ${kyle.token}` };
    const updated = await call(app, 'PUT', `/users/${kyle.user.id}`, {
      headers,
      body: { firstName: 'Kylie', phone: '+441632960961' },
    });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toEqual({ ...kyle.user, firstName: 'Kylie', phone: '+441632960961' });
    const invalid = await call(app, 'PUT', `/users/${kyle.user.id}`, { headers, body: { username: 'x' } });
    expect(invalid.status).toBe(400);
    expect(keys(invalid.json.data)).toEqual(['username']);

    expect((await call(app, 'DELETE', `/users/${kyle.user.id}`, { headers })).status).toBe(204);
    expect((await call(app, 'GET', `/users/${kyle.user.id}`, { headers })).status).toBe(401);
  });
});
