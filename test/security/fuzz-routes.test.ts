// Hostile input, property-based, over every route: random bodies and content types, huge and deep JSON, invalid
// UTF-8, NUL bytes, __proto__ and constructor keys, duplicate keys, out-of-range numbers. Never a 500, never a
// stack trace or SQL text, never a change the request had no right to make.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { memberCollection } from '../helpers/auth.js';
import { tempApp } from '../helpers/temp-app.js';
import { recordReliability } from '../reliability/report.js';

const RUNS = Number(process.env.SATCHEL_FUZZ_RUNS ?? 1500);

let app: SatchelApp;
let cleanup: () => Promise<void>;
let ids: { member: string; locked: string; open: string };
let snapshot: string;

/** Everything a guest must not be able to change, as one string to compare before and after. */
async function protectedState(): Promise<string> {
  const rows = await Promise.all(
    ['members', 'vault', '_superusers'].map((c) =>
      app.store.all(`SELECT * FROM "${c}" ORDER BY id`).then((r) => JSON.stringify(r)),
    ),
  );
  const settings = JSON.stringify(app.settings.get());
  return [...rows, settings].join('\n');
}

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      memberCollection('members', { updateRule: 'id = @request.auth.id', deleteRule: 'id = @request.auth.id' }),
      { name: 'vault', fields: [{ name: 'secret', type: 'text' }] },
      {
        name: 'open',
        listRule: '',
        viewRule: '',
        createRule: '',
        updateRule: '',
        deleteRule: 'id = "never"',
        fields: [
          { name: 'title', type: 'text', max: 100 },
          { name: 'n', type: 'number' },
          { name: 'data', type: 'json' },
          { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
          { name: 'when', type: 'date' },
          { name: 'link', type: 'url' },
          { name: 'place', type: 'geoPoint' },
        ],
      },
    ],
    { rateLimit: false },
  ));
  await app.auth.upsertSuperuser('root@example.com', 'root-password');
  const member = await app.records.create(
    'members',
    { email: 'mia@example.com', password: 'mia-password', passwordConfirm: 'mia-password' },
    SUPERUSER,
  );
  const locked = await app.records.create('vault', { secret: 'TOPSECRETVALUE' }, SUPERUSER);
  const open = await app.records.create('open', { title: 'keep' }, SUPERUSER);
  ids = { member: String(member.id), locked: String(locked.id), open: String(open.id) };
  snapshot = await protectedState();
});
afterAll(() => cleanup());

const routes = (): [method: string, path: string][] => [
  ['GET', '/api/health'],
  ['GET', '/api/settings'],
  ['PATCH', '/api/settings'],
  ['POST', '/api/installer'],
  ['GET', '/api/collections/members/auth-methods'],
  ['POST', '/api/collections/members/auth-with-password'],
  ['POST', '/api/collections/_superusers/auth-with-password'],
  ['POST', '/api/collections/members/auth-refresh'],
  ['POST', '/api/collections/members/request-verification'],
  ['POST', '/api/collections/members/confirm-verification'],
  ['POST', '/api/collections/members/request-password-reset'],
  ['POST', '/api/collections/members/confirm-password-reset'],
  ['POST', '/api/collections/members/request-email-change'],
  ['POST', '/api/collections/members/confirm-email-change'],
  ['GET', '/api/collections/open/records'],
  ['POST', '/api/collections/open/records'],
  ['GET', `/api/collections/open/records/${ids.open}`],
  ['PATCH', `/api/collections/open/records/${ids.open}`],
  ['DELETE', `/api/collections/open/records/${ids.open}`],
  ['POST', '/api/collections/members/records'],
  ['PATCH', `/api/collections/members/records/${ids.member}`],
  ['DELETE', `/api/collections/members/records/${ids.member}`],
  ['GET', `/api/collections/vault/records/${ids.locked}`],
  ['PATCH', `/api/collections/vault/records/${ids.locked}`],
  ['POST', '/api/collections/vault/records'],
  ['POST', '/api/collections/_superusers/records'],
  ['PATCH', '/api/collections/_superusers/records/x'],
  ['PUT', '/user'],
  ['GET', '/_/'],
];

const nasty = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'id',
    'email',
    'verified',
    'tokenKey',
    'password',
    'passwordConfirm',
    'oldPassword',
    'collectionId',
    'expand',
    'title+',
    '+tags',
    'tags-',
    'n+',
    'data',
    'place',
    '@jsonPayload',
  ),
  fc.string({ maxLength: 12 }),
);

const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom('\u0000', '\u0000admin', '\ud800', '\uffff', "'; DROP TABLE members; --", '%00', '../../etc/passwd'),
  fc.integer(),
  fc.double(),
  fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 99999999999999999999),
  fc.boolean(),
  fc.constant(null),
);

const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nasty, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Raw body texts JSON.stringify never makes: duplicate keys, deep nesting, huge numbers, invalid UTF-8. */
const rawBody = fc.oneof(
  jsonValue.map((v) => JSON.stringify(v) ?? 'null'),
  fc.constantFrom(
    '{"email":"a@b.co","email":"x","__proto__":{"superuser":true}}',
    `{"data":${'['.repeat(3000)}${']'.repeat(3000)}}`,
    `${'{"a":'.repeat(500)}1${'}'.repeat(500)}`,
    '{"n": 1e999999, "title": "x"}',
    '{"title": "\\ud800"}',
    '{"constructor": {"prototype": {"polluted": true}}}',
    '{',
    '',
    'null',
    '[]',
    '"just a string"',
    '\u0000\u0000',
  ),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from([0xff, 0xfe, ...bytes]).toString('latin1')),
  fc.string({ maxLength: 30_000, unit: 'binary' }),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/xml',
  '',
);

const LEAK =
  /SQLITE|sqlite|SELECT |INSERT |UPDATE "|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|RangeError|TypeError|TOPSECRETVALUE/;

describe('every route, hostile bodies', () => {
  it(`never answers 5xx, never leaks internals, never changes what it may not (${RUNS} cases)`, async () => {
    let cases = 0;
    let serverErrors = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes()),
        rawBody,
        contentType,
        fc.constantFrom('', 'Bearer x.y.z', 'null', 'eyJhbGciOiJub25lIn0.eyJpZCI6IngifQ.'),
        async ([method, path], body, type, token) => {
          cases++;
          const headers: Record<string, string> = {};
          if (type) headers['content-type'] = type;
          if (token) headers.authorization = token;
          const res = await app.hono.request(path, {
            method,
            headers,
            body: method === 'GET' || method === 'HEAD' ? undefined : body,
          });
          const text = await res.text();
          if (res.status >= 500) serverErrors++;
          expect(res.status, `${method} ${path} ${type} ${body.slice(0, 200)} -> ${text.slice(0, 300)}`).toBeLessThan(
            500,
          );
          expect(text).not.toMatch(LEAK);
        },
      ),
      { numRuns: RUNS, seed: Number(process.env.SATCHEL_FUZZ_SEED ?? 20261130) },
    );
    // Nothing a guest may not touch changed, and nothing was polluted.
    expect(await protectedState()).toBe(snapshot);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).superuser).toBeUndefined();
    recordReliability({ fuzzCases: cases, fuzzServerErrors: serverErrors });
  }, 120_000);
});
