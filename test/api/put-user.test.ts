// PUT /user against seed 002: the 200 and both 400 shapes, key for key and type for type; the settings switch.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SatchelApp } from '../../src/app.js';
import { DEFAULT_SETTINGS } from '../../src/core/settings/schema.js';
import { signIn } from '../helpers/auth.js';
import { runScenario, send } from '../helpers/scenario.js';
import { tempApp, type TempDirs } from '../helpers/temp-app.js';

/** The settings' default: no reverse proxy trusted. */
/** GET /api/settings with PUT /user on or off: every default, secrets left out, the rate-limit flag said. */
function shownSettings(putUser: boolean) {
  const shown = structuredClone({ ...DEFAULT_SETTINGS, putUser: { enabled: putUser } }) as any;
  delete shown.smtp.password;
  delete shown.s3.secret;
  delete shown.backups.s3.secret;
  return { ...shown, overriddenBy: { 'rateLimits.enabled': expect.stringContaining('--rate-limit=off') } };
}

const usersDefinition = JSON.parse(readFileSync(new URL('../../collections/users.json', import.meta.url), 'utf8'));

// The examples of seed 002, verbatim.
const SEED_200 = {
  avatar: '',
  bio: '',
  collectionId: '_pb_users_auth_',
  collectionName: 'users',
  created: '2025-01-03 12:23:01.865Z',
  emailVisibility: false,
  id: 'nfynp8jhat2o4sy',
  token:
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcGlLZXlVaWQiOiIzMjk3NmExMi03ODE1LTQ1NGQtYTU5Yi1hNzY0ZTE4NmJjNjIiLCJzZWFyY2hSdWxlcyI6eyJjaXRpZXM1MDAiOnt9LCJ0cmFpbHMiOnsiZmlsdGVyIjoicHVibGljID0gdHJ1ZSBPUiBhdXRob3IgPSBuZnlucDhqaGF0Mm80c3kgT1Igc2hhcmVzID0gbmZ5bnA4amhhdDJvNHN5In19fQ.RtK_w6Bjqni720FEjVqIwaWhtrqqy5rFPA7qAdPd0iA',
  updated: '2025-01-03 12:23:01.867Z',
  username: 'Dewayne33',
  verified: false,
};
const SEED_400_RECORD = {
  message: 'Failed to create record.',
  detail: {
    code: 400,
    message: 'Failed to create record.',
    data: {
      author: {
        code: 'validation_missing_rel_records',
        message: 'Failed to find all relation records with the provided ids.',
      },
    },
  },
};
const SEED_400_PARAMS = {
  message: 'invalid_params',
  detail: [
    {
      code: 'invalid_type',
      expected: 'string',
      received: 'number',
      path: ['text'],
      message: 'Expected string, received number',
    },
  ],
};
const SEED_REQUEST = {
  username: 'Angela.Pacocha95',
  password: 'deserunt',
  passwordConfirm: 'deserunt',
  email: 'Braulio98@gmail.com',
};

/** The shape of a JSON value: key order and types, not values (field names under `data` are free). */
function shape(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(shape);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  }
  return typeof value;
}
const dataShape = (body: any) => Object.values(body.detail.data).map(shape);

let app: SatchelApp;
let dirs: TempDirs;
let cleanup: () => Promise<void>;
let superToken: string;

beforeAll(async () => {
  ({ app, dirs, cleanup } = await tempApp([usersDefinition], { rateLimit: false }));
  await app.auth.upsertSuperuser('root@example.com', 'root-password');
  superToken = (await signIn(app, '_superusers', 'root@example.com', 'root-password')).token;
});
afterAll(async () => {
  await app.close();
  await cleanup();
});

const putUser = (body: unknown, url = '/user?requestKey=abc') =>
  send(app, {
    method: 'PUT',
    url,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
const countUsers = async () => ((await app.engine.store.one('SELECT COUNT(*) AS n FROM users')) as { n: number }).n;

describe('200: the user and a working token', () => {
  let body: any;
  beforeAll(async () => {
    const res = await putUser(SEED_REQUEST);
    expect(res.status).toBe(200);
    body = await res.json();
  });

  it('has exactly the seed keys, in its order, with its types', () => {
    expect(Object.keys(body)).toEqual(Object.keys(SEED_200));
    expect(shape(body)).toEqual(shape(SEED_200));
  });

  it('carries the record values', () => {
    expect(body).toMatchObject({
      collectionId: '_pb_users_auth_',
      collectionName: 'users',
      username: 'Angela.Pacocha95',
      verified: false,
      emailVisibility: false,
      avatar: '',
      bio: '',
    });
    expect(body.id).toMatch(/^[a-z0-9]{15}$/);
    expect(body.created).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.updated).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('stores the password hashed', async () => {
    const row = (await app.engine.store.one('SELECT email, password FROM users WHERE id = ?', [body.id])) as any;
    expect(row.email).toBe('Braulio98@gmail.com');
    expect(row.password).toMatch(/^\$argon2id\$/);
  });

  it('the token signs the user in: refresh, and reading the own record (users viewRule id = @request.auth.id)', async () => {
    await runScenario(app, {
      name: 'refresh with the PUT /user token',
      method: 'POST',
      url: '/api/collections/users/auth-refresh',
      headers: { authorization: body.token },
      status: 200,
      check: (j) => expect(j.record).toMatchObject({ id: body.id, email: 'Braulio98@gmail.com' }),
    });
    await runScenario(app, {
      name: 'own record',
      url: `/api/collections/users/records/${body.id}`,
      headers: { authorization: `Bearer ${body.token}` },
      status: 200,
      check: (j) => expect(j.username).toBe('Angela.Pacocha95'),
    });
    await runScenario(app, {
      name: 'a guest does not see it',
      url: `/api/collections/users/records/${body.id}`,
      status: 404,
    });
  });

  it('the password signs in as well', async () => {
    expect((await signIn(app, 'users', 'angela.pacocha95', 'deserunt')).record.id).toBe(body.id);
  });
});

describe('400 invalid_params: wrong types or missing fields, worded as the seed', () => {
  it('is byte for byte the seed shape for a number where a string belongs', async () => {
    const res = await putUser({ ...SEED_REQUEST, username: 42, email: 'n@example.com' });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toBe(
      '{"message":"invalid_params","detail":[{"code":"invalid_type","expected":"string","received":"number","path":["username"],"message":"Expected string, received number"}]}',
    );
    expect(shape(JSON.parse(text))).toEqual(shape(SEED_400_PARAMS));
  });

  const cases: [string, unknown, object[]][] = [
    [
      'every field missing',
      {},
      ['username', 'password', 'passwordConfirm', 'email'].map((f) => ({
        code: 'invalid_type',
        expected: 'string',
        received: 'undefined',
        path: [f],
        message: 'Required',
      })),
    ],
    [
      'null, boolean, array and object values',
      { username: null, password: true, passwordConfirm: ['deserunt'], email: { at: 'x' } },
      [
        ['username', 'null'],
        ['password', 'boolean'],
        ['passwordConfirm', 'array'],
        ['email', 'object'],
      ].map(([f, t]) => ({
        code: 'invalid_type',
        expected: 'string',
        received: t,
        path: [f],
        message: `Expected string, received ${t}`,
      })),
    ],
    [
      'a body that is a list',
      [SEED_REQUEST],
      [
        {
          code: 'invalid_type',
          expected: 'object',
          received: 'array',
          path: [],
          message: 'Expected object, received array',
        },
      ],
    ],
    [
      'no body',
      '',
      [{ code: 'invalid_type', expected: 'object', received: 'undefined', path: [], message: 'Required' }],
    ],
    [
      'malformed JSON',
      '{"username": ',
      [{ code: 'invalid_type', expected: 'object', received: 'undefined', path: [], message: 'Required' }],
    ],
  ];
  for (const [name, body, detail] of cases) {
    it(name, async () => {
      const before = await countUsers();
      const res = await putUser(body);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: 'invalid_params', detail });
      expect(await countUsers()).toBe(before);
    });
  }
});

describe('400 Failed to create record: well-typed but invalid', () => {
  const cases: [string, object, Record<string, string>][] = [
    [
      'a short password',
      { password: 'short', passwordConfirm: 'short' },
      { password: 'validation_min_text_constraint' },
    ],
    ['a mismatched confirmation', { passwordConfirm: 'deserunt2' }, { passwordConfirm: 'validation_values_mismatch' }],
    ['a username under 3 characters', { username: 'ab' }, { username: 'validation_min_text_constraint' }],
    ['a malformed e-mail', { email: 'not-an-email' }, { email: 'validation_is_email' }],
    [
      'a taken username, in another case',
      { username: 'ANGELA.PACOCHA95', email: 'other1@example.com' },
      { username: 'validation_not_unique' },
    ],
    [
      'a taken e-mail, in another case',
      { username: 'someone.else', email: 'braulio98@GMAIL.com' },
      { email: 'validation_not_unique' },
    ],
  ];
  for (const [name, change, codes] of cases) {
    it(name, async () => {
      const before = await countUsers();
      const res = await putUser({ ...SEED_REQUEST, username: 'fresh.user', email: 'fresh@example.com', ...change });
      expect(res.status).toBe(400);
      const body: any = await res.json();
      expect(Object.keys(body)).toEqual(['message', 'detail']);
      expect(Object.keys(body.detail)).toEqual(['code', 'message', 'data']);
      expect(body).toMatchObject({
        message: 'Failed to create record.',
        detail: { code: 400, message: 'Failed to create record.' },
      });
      expect(Object.fromEntries(Object.entries(body.detail.data).map(([k, v]: [string, any]) => [k, v.code]))).toEqual(
        codes,
      );
      // The same shape as the seed, whatever the field names under data.
      expect(shape({ ...body, detail: { ...body.detail, data: {} } })).toEqual(
        shape({ ...SEED_400_RECORD, detail: { ...SEED_400_RECORD.detail, data: {} } }),
      );
      for (const s of dataShape(body)) expect(s).toEqual(dataShape(SEED_400_RECORD)[0]);
      expect(await countUsers()).toBe(before);
    });
  }
});

describe('the settings switch', () => {
  const settings = (method: string, authorization?: string, body?: object) =>
    send(app, { method, url: '/api/settings', headers: authorization ? { authorization } : {}, body });

  it('GET and PATCH /api/settings are for superusers only', async () => {
    expect((await settings('GET')).status).toBe(401);
    const user = await signIn(app, 'users', 'braulio98@gmail.com', 'deserunt');
    expect((await settings('GET', user.token)).status).toBe(403);
    expect((await settings('PATCH', user.token, { putUser: { enabled: false } })).status).toBe(403);
    const res = await settings('GET', superToken);
    expect(await res.json()).toEqual(shownSettings(true));
    const bad = await settings('PATCH', superToken, { putUser: { enabled: 'nope' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).data.putUser.enabled.code).toBe('validation_invalid_value');
  });

  it('off: PUT /user is a 404; on again: it serves', async () => {
    const off = await settings('PATCH', superToken, { putUser: { enabled: false } });
    expect(await off.json()).toEqual(shownSettings(false));
    const res = await putUser({ ...SEED_REQUEST, username: 'while.off', email: 'off@example.com' });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ status: 404, message: "The requested resource wasn't found.", data: {} });

    // The stored setting wins over the default the app starts with, across a restart.
    await app.close();
    app = await createApp({
      dataDir: dirs.dataDir,
      collectionsDir: dirs.collectionsDir,
      rateLimit: false,
      putUser: true,
    });
    expect((await putUser({ ...SEED_REQUEST, username: 'after.restart', email: 'restart@example.com' })).status).toBe(
      404,
    );

    await settings('PATCH', superToken, { putUser: { enabled: true } });
    expect((await putUser({ ...SEED_REQUEST, username: 'back.on', email: 'on@example.com' })).status).toBe(200);
  });

  it('the default can start off (createApp option), until a superuser turns it on', async () => {
    const other = await tempApp([usersDefinition], { rateLimit: false, putUser: false });
    try {
      const res = await send(other.app, { method: 'PUT', url: '/user', body: SEED_REQUEST });
      expect(res.status).toBe(404);
      expect(other.app.engine.settings.get()).toEqual({ ...DEFAULT_SETTINGS, putUser: { enabled: false } });
    } finally {
      await other.cleanup();
    }
  });

  it('without a users collection, PUT /user is a 404', async () => {
    const other = await tempApp([], { rateLimit: false });
    try {
      expect((await send(other.app, { method: 'PUT', url: '/user', body: SEED_REQUEST })).status).toBe(404);
    } finally {
      await other.cleanup();
    }
  });
});
