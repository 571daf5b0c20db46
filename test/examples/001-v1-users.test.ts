// examples/001-v1-users against seed 001: POST /v1/users answers 201 {id: "user_…", email, name, status,
// created_at, updated_at}; 400 invalid_request, 409 email_exists, 401 unauthorized as {error, message}.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signIn } from '../helpers/auth.js';
import { breakDatabase, call, exampleApp, keys, superuserToken, type ExampleApp } from './helpers.js';

const EXAMPLE = '001-v1-users';

/** The seed's own request body. */
const SEED_BODY = { email: 'newuser@example.com', password: 'strong_password_here', name: 'Jane Doe' };
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

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

function expectError(res: { status: number; json: any }, status: number, error: string) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(keys(res.json)).toEqual(['error', 'message']);
  expect(res.json.error).toBe(error);
  expect(typeof res.json.message).toBe('string');
  expect(res.json.message).not.toBe('');
}

describe('POST /v1/users (seed 001)', () => {
  it("answers the seed's request (public sign-up, no token) with 201 and the documented fields", async () => {
    const app = await start();
    const before = Date.now();
    const res = await call(app, 'POST', '/v1/users', { body: SEED_BODY });
    expect(res.status, res.text).toBe(201);
    expect(keys(res.json)).toEqual(['created_at', 'email', 'id', 'name', 'status', 'updated_at']);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^user_[a-z0-9]{15}$/),
      email: 'newuser@example.com',
      name: 'Jane Doe',
      status: 'active',
      created_at: expect.stringMatching(ISO_8601),
      updated_at: expect.stringMatching(ISO_8601),
    });
    expect(res.json.updated_at).toBe(res.json.created_at);
    // Seconds precision: within a second of the request.
    expect(Date.parse(res.json.created_at)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(res.text).not.toContain('strong_password_here');
    // A real account: it signs in with the password.
    const session = await signIn(app, 'users', 'newuser@example.com', 'strong_password_here');
    expect(session.record.id).toBe(res.json.id);
  });

  it('name is optional; status is active even when a client asks otherwise', async () => {
    const app = await start();
    const res = await call(app, 'POST', '/v1/users', {
      body: { email: 'solo@example.com', password: 'another-password', status: 'suspended' },
    });
    expect(res.status).toBe(201);
    expect(res.json.name).toBe('');
    expect(res.json.status).toBe('active');
  });

  it("201 with the seed's `Authorization: Bearer <admin token>`: a superuser creates an account", async () => {
    const app = await start();
    const admin = await superuserToken(app);
    const res = await call(app, 'POST', '/v1/users', {
      body: SEED_BODY,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.email).toBe('newuser@example.com');
  });

  it('409 email_exists for a registered e-mail, in any case', async () => {
    const app = await start();
    expect((await call(app, 'POST', '/v1/users', { body: SEED_BODY })).status).toBe(201);
    const res = await call(app, 'POST', '/v1/users', {
      body: { ...SEED_BODY, email: 'NewUser@Example.com', name: 'Jane Again' },
    });
    expectError(res, 409, 'email_exists');
    expect(res.json.message).toBe('A user with this email already exists.');
  });

  it('400 invalid_request for missing or malformed fields', async () => {
    const app = await start();
    const bodies: unknown[] = [
      {},
      { password: 'strong_password_here' },
      { email: 'newuser@example.com' },
      { ...SEED_BODY, email: 'not-an-email' },
      { ...SEED_BODY, password: 'short' },
      { ...SEED_BODY, email: 42 },
      { ...SEED_BODY, name: ['Jane'] },
      '{"email": ',
      '[1, 2]',
    ];
    for (const body of bodies) {
      const res = await call(app, 'POST', '/v1/users', {
        body,
        headers: typeof body === 'string' ? { 'content-type': 'application/json' } : {},
      });
      expectError(res, 400, 'invalid_request');
    }
    const short = await call(app, 'POST', '/v1/users', { body: { ...SEED_BODY, password: 'short' } });
    expect(short.json.message).toMatch(/^password: /);
  });

  it('401 unauthorized for a token that does not verify, and for a token without the permission', async () => {
    const app = await start();
    // The seed's placeholder, used literally.
    const placeholder = await call(app, 'POST', '/v1/users', {
      body: SEED_BODY,
      headers: { authorization: 'Bearer admin_access_token' },
    });
    expectError(placeholder, 401, 'unauthorized');

    expect((await call(app, 'POST', '/v1/users', { body: SEED_BODY })).status).toBe(201);
    const { token } = await signIn(app, 'users', SEED_BODY.email, SEED_BODY.password);
    const insufficient = await call(app, 'POST', '/v1/users', {
      body: { ...SEED_BODY, email: 'friend@example.com' },
      headers: { authorization: `Bearer ${token}` },
    });
    expectError(insufficient, 401, 'unauthorized');
    expect(insufficient.json.message).toMatch(/insufficient permissions/i);
  });

  it('an internal failure answers 500 in the same {error, message} shape, with nothing of the cause', async () => {
    const app = await start();
    expect((await call(app, 'POST', '/v1/users', { body: SEED_BODY })).status).toBe(201);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await breakDatabase(app);
    const res = await call(app, 'POST', '/v1/users', { body: { ...SEED_BODY, email: 'next@example.com' } });
    expect(logged).toHaveBeenCalled();
    expectError(res, 500, 'internal_error');
    expect(res.text).not.toMatch(/database|sqlite|\bat\s/i);
  });
});
