// examples/002-put-user: PUT /user is built in; the example shows it switched off (the --put-user=off flag) and
// on again by a superuser through PATCH /api/settings, and its hook sees the sign-ups of the built-in route.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { call, exampleApp, keys, superuserToken, type ExampleApp } from './helpers.js';

const EXAMPLE = '002-put-user';

/** The seed's own request body. */
const SEED_BODY = {
  username: 'Angela.Pacocha95',
  password: 'deserunt',
  passwordConfirm: 'deserunt',
  email: 'Braulio98@gmail.com',
};
const RESPONSE_KEYS = [
  'avatar',
  'bio',
  'collectionId',
  'collectionName',
  'created',
  'emailVisibility',
  'id',
  'token',
  'updated',
  'username',
  'verified',
];

let made: ExampleApp[] = [];
afterEach(async () => {
  for (const m of made) await m.cleanup();
  made = [];
  vi.restoreAllMocks();
});
async function start(putUser?: boolean) {
  const m = await exampleApp(EXAMPLE, putUser === undefined ? {} : { putUser });
  made.push(m);
  return m.app;
}

describe('PUT /user (seed 002, built in)', () => {
  it("answers the seed's request with 200 and the documented fields; the example's hook sees the sign-up", async () => {
    const app = await start();
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const res = await call(app, 'PUT', '/user?requestKey=abc', { body: SEED_BODY });
    expect(res.status, res.text).toBe(200);
    expect(keys(res.json)).toEqual(RESPONSE_KEYS);
    expect(res.json).toMatchObject({
      collectionId: '_pb_users_auth_',
      collectionName: 'users',
      username: 'Angela.Pacocha95',
    });
    expect(log).toHaveBeenCalledWith(`[002-put-user] new user "Angela.Pacocha95" (${res.json.id})`);
  });

  it('off with --put-user=off (404), on again with PATCH /api/settings by a superuser, and off again', async () => {
    const app = await start(false);
    expect((await call(app, 'PUT', '/user', { body: SEED_BODY })).status).toBe(404);

    const patch = (enabled: boolean, authorization?: string) =>
      call(app, 'PATCH', '/api/settings', {
        body: { putUser: { enabled } },
        headers: authorization ? { authorization } : {},
      });
    // Only a superuser may change the setting.
    expect((await patch(true)).status).toBe(401);
    expect((await call(app, 'PUT', '/user', { body: SEED_BODY })).status).toBe(404);

    const admin = await superuserToken(app);
    const on = await patch(true, admin);
    expect(on.status, on.text).toBe(200);
    expect(on.json.putUser).toEqual({ enabled: true });
    const res = await call(app, 'PUT', '/user', { body: SEED_BODY });
    expect(res.status, res.text).toBe(200);

    expect((await patch(false, admin)).status).toBe(200);
    const off = await call(app, 'PUT', '/user', { body: { ...SEED_BODY, username: 'another', email: 'a@b.co' } });
    expect(off.status).toBe(404);
  });

  it('a stored setting wins over the flag at the next start', async () => {
    const first = await start(false);
    await first.engine.settings.update({ putUser: { enabled: true } });
    const { dataDir } = made[0]!;
    await first.close();
    // The same data directory, started again with --put-user=off: the stored setting still says on.
    const again = await exampleApp(EXAMPLE, { putUser: false, dataDir });
    made.push(again);
    expect((await call(again.app, 'PUT', '/user', { body: SEED_BODY })).status).toBe(200);
  });
});
