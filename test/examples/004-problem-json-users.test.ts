// examples/004-problem-json-users against seed 004: POST /users answers 202 {userKey: <integer>}; every error is
// application/problem+json {type, title, status, detail, instance}: 400, 401, 403, 500.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signIn } from '../helpers/auth.js';
import { breakDatabase, call, exampleApp, keys, superuserToken, type ExampleApp } from './helpers.js';

const EXAMPLE = '004-problem-json-users';

/** The seed shows no request body; these are the fields this example's users have. */
const BODY = { email: 'ann@example.com', password: 'correct-horse', name: 'Ann' };
const PROBLEM_KEYS = ['detail', 'instance', 'status', 'title', 'type'];

let made: ExampleApp[] = [];
afterEach(async () => {
  for (const m of made) await m.cleanup();
  made = [];
  vi.restoreAllMocks();
});
async function start() {
  const m = await exampleApp(EXAMPLE);
  made.push(m);
  return { app: m.app, admin: await superuserToken(m.app) };
}

function expectProblem(
  res: { status: number; headers: Headers; json: any },
  status: number,
  title: string,
  extra: string[] = [],
) {
  expect(res.status, JSON.stringify(res.json)).toBe(status);
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  expect(keys(res.json)).toEqual([...PROBLEM_KEYS, ...extra].sort());
  expect(res.json).toMatchObject({ type: 'about:blank', title, status, instance: '/users' });
  expect(typeof res.json.detail).toBe('string');
}

describe('POST /users (seed 004)', () => {
  it('202 {userKey} for a superuser; keys are integers counting up', async () => {
    const { app, admin } = await start();
    const res = await call(app, 'POST', '/users', { body: BODY, headers: { authorization: `Bearer ${admin}` } });
    expect(res.status, res.text).toBe(202);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.json).toEqual({ userKey: 1 });
    const second = await call(app, 'POST', '/users', {
      body: { ...BODY, email: 'bob@example.com' },
      headers: { authorization: admin },
    });
    expect(second.json).toEqual({ userKey: 2 });
    expect(Number.isInteger(second.json.userKey)).toBe(true);
  });

  it('401 without credentials, or with a token that does not verify', async () => {
    const { app } = await start();
    expectProblem(await call(app, 'POST', '/users', { body: BODY }), 401, 'Unauthorized');
    const bad = await call(app, 'POST', '/users', { body: BODY, headers: { authorization: 'Bearer nope' } });
    expectProblem(bad, 401, 'Unauthorized');
  });

  it('403 when the caller may not create users: a signed-in user', async () => {
    const { app, admin } = await start();
    await call(app, 'POST', '/users', { body: BODY, headers: { authorization: admin } });
    const { token } = await signIn(app, 'users', BODY.email, BODY.password);
    const res = await call(app, 'POST', '/users', {
      body: { ...BODY, email: 'friend@example.com' },
      headers: { authorization: token },
    });
    expectProblem(res, 403, 'Forbidden');
  });

  it('400 for a body that is malformed or breaks the fields (which are named in `errors`)', async () => {
    const { app, admin } = await start();
    const headers = { authorization: admin };
    const missing = await call(app, 'POST', '/users', { body: {}, headers });
    expectProblem(missing, 400, 'Bad Request', ['errors']);
    expect(keys(missing.json.errors)).toEqual(['email', 'password']);

    const short = await call(app, 'POST', '/users', { body: { ...BODY, password: 'short' }, headers });
    expectProblem(short, 400, 'Bad Request', ['errors']);
    expect(keys(short.json.errors)).toEqual(['password']);

    await call(app, 'POST', '/users', { body: BODY, headers });
    const taken = await call(app, 'POST', '/users', { body: BODY, headers });
    expectProblem(taken, 400, 'Bad Request', ['errors']);
    expect(taken.json.errors.email.code).toBe('validation_not_unique');

    const malformed = await call(app, 'POST', '/users', {
      body: '{"email":',
      headers: { ...headers, 'content-type': 'application/json' },
    });
    expectProblem(malformed, 400, 'Bad Request');
  });

  it('500 for an internal failure, with nothing of the cause', async () => {
    const { app, admin } = await start();
    expect((await call(app, 'POST', '/users', { body: BODY, headers: { authorization: admin } })).status).toBe(202);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await breakDatabase(app);
    const res = await call(app, 'POST', '/users', { body: BODY, headers: { authorization: admin } });
    expectProblem(res, 500, 'Internal Server Error');
    expect(res.json.detail).toBe('Something went wrong while processing your request.');
  });

  it("stays problem+json when a superuser sets the app's errors back to PocketBase's shape", async () => {
    const { app, admin } = await start();
    const patched = await call(app, 'PATCH', '/api/settings', {
      body: { errors: 'pocketbase' },
      headers: { authorization: admin },
    });
    expect(patched.status).toBe(200);
    expectProblem(await call(app, 'POST', '/users', { body: BODY }), 401, 'Unauthorized');
    // Other routes follow the setting.
    const other = await call(app, 'GET', '/api/collections/nope/records');
    expect(keys(other.json)).toEqual(['data', 'message', 'status']);
  });
});
