// Differences from PocketBase that a switching user would hit (issue #17), as PocketBase scenarios: request in,
// status and body content out. Each row failed before its fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { memberCollection, signIn, signUp, superuserToken } from '../helpers/auth.js';
import { runScenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp, tempDirs } from '../helpers/temp-app.js';

const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] };

let app: SatchelApp;
let cleanup: () => Promise<void>;
let noteId: string;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([notes], { rateLimit: false }));
  noteId = String((await app.records.create('notes', { title: 'first' }, SUPERUSER)).id);
});

afterAll(() => cleanup());

describe('record ids', () => {
  it('a PATCH that changes the id: 400 validation_pk_change, and nothing changes', async () => {
    await runScenario(app, {
      name: 'id change',
      method: 'PATCH',
      url: `/api/collections/notes/records/${noteId}`,
      body: { id: 'otherid00000001', title: 'renamed' },
      status: 400,
      contains: ['"id":{"code":"validation_pk_change","message":"The record primary key cannot be changed."}'],
    });
    await runScenario(app, {
      name: 'unchanged',
      url: `/api/collections/notes/records/${noteId}`,
      status: 200,
      contains: ['"title":"first"'],
    });
  });

  it('a PATCH that repeats the same id is an ordinary update', async () => {
    await runScenario(app, {
      name: 'same id',
      method: 'PATCH',
      url: `/api/collections/notes/records/${noteId}`,
      body: { id: noteId, title: 'same id' },
      status: 200,
      contains: ['"title":"same id"'],
    });
  });
});

describe('@request.body in rules sees the final value of `x+` / `x-` / `+x` modifiers', () => {
  let rulesApp: SatchelApp;
  let done: () => Promise<void>;
  let id: string;

  beforeAll(async () => {
    ({ app: rulesApp, cleanup: done } = await tempApp(
      [
        {
          name: 'counters',
          ...OPEN_RULES,
          createRule: '@request.body.n = 3 && @request.body.tags:length <= 2',
          updateRule: "@request.body.n <= 10 && @request.body.tags:each != 'c' && @request.body.tags:length <= 2",
          fields: [
            { name: 'n', type: 'number' },
            { name: 'tags', type: 'select', maxSelect: 3, values: ['a', 'b', 'c'] },
          ],
        },
      ],
      { rateLimit: false },
    ));
    id = String((await rulesApp.records.create('counters', { n: 8, tags: ['a'] }, SUPERUSER)).id);
  });

  afterAll(() => done());

  it('create: `n+` and `tags+` are judged by the values they produce', async () => {
    await runScenario(rulesApp, {
      name: 'n+ 3 on an empty record is 3',
      method: 'POST',
      url: '/api/collections/counters/records',
      body: { 'n+': 3, 'tags+': ['a'] },
      status: 200,
      contains: ['"n":3', '"tags":["a"]'],
    });
    await runScenario(rulesApp, {
      name: 'tags+ with three tags breaks the length rule',
      method: 'POST',
      url: '/api/collections/counters/records',
      body: { n: 3, 'tags+': ['a', 'b', 'c'] },
      status: 400,
    });
  });

  it('update: `n+` past the limit and a `+tags` that adds a refused tag are denied; within it, allowed', async () => {
    await runScenario(rulesApp, {
      name: 'n+ 5 makes 13',
      method: 'PATCH',
      url: `/api/collections/counters/records/${id}`,
      body: { 'n+': 5 },
      status: 404,
    });
    await runScenario(rulesApp, {
      name: '+tags c',
      method: 'PATCH',
      url: `/api/collections/counters/records/${id}`,
      body: { '+tags': 'c' },
      status: 404,
    });
    await runScenario(rulesApp, {
      name: 'n- 5 and tags+ b',
      method: 'PATCH',
      url: `/api/collections/counters/records/${id}`,
      body: { 'n-': 5, 'tags+': 'b' },
      status: 200,
      contains: ['"n":3', '"tags":["a","b"]'],
    });
    await runScenario(rulesApp, {
      name: 'tags- a leaves one',
      method: 'PATCH',
      url: `/api/collections/counters/records/${id}`,
      body: { 'tags-': 'a', n: 4 },
      status: 200,
      contains: ['"n":4', '"tags":["b"]'],
    });
  });
});

describe('expand on auth responses, and `expand: {}` when a path resolves to nothing', () => {
  let authApp: SatchelApp;
  let done: () => Promise<void>;
  let token: string;
  let userId: string;

  beforeAll(async () => {
    ({ app: authApp, cleanup: done } = await tempApp(
      [
        { name: 'teams', ...OPEN_RULES, fields: [{ name: 'label', type: 'text' }] },
        memberCollection('members', {
          fields: [
            { name: 'username', type: 'text' },
            { name: 'team', type: 'relation', collectionId: 'teams', maxSelect: 1 },
            { name: 'friends', type: 'relation', collectionId: 'members', maxSelect: 5 },
          ],
        }),
      ],
      { rateLimit: false },
    ));
    const team = await authApp.records.create('teams', { label: 'red team' }, SUPERUSER);
    userId = (await signUp(authApp, 'members', { email: 'ann@example.com', password: 'secret-pass-1', team: team.id }))
      .id;
    token = (await signIn(authApp, 'members', 'ann@example.com', 'secret-pass-1')).token;
  });

  afterAll(() => done());

  it('auth-refresh and auth-with-password expand the record as PocketBase does', async () => {
    await runScenario(authApp, {
      name: 'refresh with expand',
      method: 'POST',
      url: '/api/collections/members/auth-refresh?expand=team,friends',
      headers: { authorization: token },
      status: 200,
      contains: ['"expand":{', '"team":{', '"label":"red team"', '"token":"'],
      notContains: ['"friends":[{'],
    });
    await runScenario(authApp, {
      name: 'password sign-in with expand',
      method: 'POST',
      url: '/api/collections/members/auth-with-password?expand=team',
      body: { identity: 'ann@example.com', password: 'secret-pass-1' },
      status: 200,
      contains: ['"label":"red team"'],
    });
    await runScenario(authApp, {
      name: 'refresh without expand',
      method: 'POST',
      url: '/api/collections/members/auth-refresh',
      headers: { authorization: token },
      status: 200,
      notContains: ['"expand"'],
    });
  });

  it('a resolvable expand of an empty relation answers "expand":{}; an unknown path leaves it out', async () => {
    await runScenario(authApp, {
      name: 'empty relation',
      url: `/api/collections/members/records/${userId}?expand=friends`,
      headers: { authorization: token },
      status: 200,
      contains: ['"expand":{}'],
    });
    await runScenario(authApp, {
      name: 'unknown path',
      url: `/api/collections/members/records/${userId}?expand=nothing`,
      headers: { authorization: token },
      status: 200,
      notContains: ['"expand"'],
    });
  });
});

describe('auth error codes, statuses and order as PocketBase gives them', () => {
  let authApp: SatchelApp;
  let done: () => Promise<void>;
  let annToken: string;
  let annId: string;
  let rootToken: string;

  beforeAll(async () => {
    ({ app: authApp, cleanup: done } = await tempApp(
      [
        notes,
        memberCollection('members', {
          fields: [{ name: 'username', type: 'text', min: 3 }],
        }),
      ],
      { rateLimit: false },
    ));
    annId = (await signUp(authApp, 'members', { email: 'ann@example.com', password: 'secret-pass-1' })).id;
    annToken = (await signIn(authApp, 'members', 'ann@example.com', 'secret-pass-1')).token;
    rootToken = await superuserToken(authApp);
  });

  afterAll(() => done());

  it('an e-mail change token without newEmail: validation_invalid_token_payload', async () => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ id: annId, type: 'emailChange' })}.c2ln`;
    await runScenario(authApp, {
      name: 'no newEmail',
      method: 'POST',
      url: '/api/collections/members/confirm-email-change',
      body: { token, password: 'secret-pass-1' },
      status: 400,
      contains: ['"token":{"code":"validation_invalid_token_payload"'],
    });
  });

  it('confirm-password-reset checks the length in its form: validation_length_out_of_range', async () => {
    await runScenario(authApp, {
      name: 'short password',
      method: 'POST',
      url: '/api/collections/members/confirm-password-reset',
      body: { token: 'not-a-token', password: 'short', passwordConfirm: 'short' },
      status: 400,
      contains: [
        '"password":{"code":"validation_length_out_of_range","message":"The length must be between 8 and 255."}',
        '"token":{"code":"validation_invalid_token"',
      ],
    });
  });

  it('auth-refresh on a base collection: 401 for a guest, 403 for a signed-in record (not 404)', async () => {
    await runScenario(authApp, {
      name: 'guest',
      method: 'POST',
      url: '/api/collections/notes/auth-refresh',
      status: 401,
    });
    await runScenario(authApp, {
      name: 'member',
      method: 'POST',
      url: '/api/collections/notes/auth-refresh',
      headers: { authorization: annToken },
      status: 403,
      contains: ['The request requires auth record from members collection.'],
    });
  });

  it('a superuser created or updated through the API is verified', async () => {
    const created = await runScenario(authApp, {
      name: 'create superuser',
      method: 'POST',
      url: '/api/collections/_superusers/records',
      headers: { authorization: rootToken },
      body: { email: 'second@example.com', password: 'second-password', passwordConfirm: 'second-password' },
      status: 200,
      contains: ['"verified":true'],
    });
    await runScenario(authApp, {
      name: 'unverify superuser',
      method: 'PATCH',
      url: `/api/collections/_superusers/records/${created.id}`,
      headers: { authorization: rootToken },
      body: { verified: false },
      status: 200,
      contains: ['"verified":true'],
    });
  });

  it('the auth form (password confirmation, old password) is checked before the record fields', async () => {
    await runScenario(authApp, {
      name: 'create: confirmation mismatch and a too short username',
      method: 'POST',
      url: '/api/collections/members/records',
      body: { email: 'bob@example.com', username: 'b', password: 'secret-pass-2', passwordConfirm: 'other-pass-2' },
      status: 400,
      contains: ['"passwordConfirm":{"code":"validation_values_mismatch"'],
      notContains: ['"username"'],
    });
    await runScenario(authApp, {
      name: 'update: no old password and a too short username',
      method: 'PATCH',
      url: `/api/collections/members/records/${annId}`,
      headers: { authorization: annToken },
      body: { username: 'a', password: 'secret-pass-3', passwordConfirm: 'secret-pass-3' },
      status: 400,
      contains: ['"oldPassword":{"code":"validation_required"'],
      notContains: ['"username"'],
    });
    await runScenario(authApp, {
      name: 'update: a wrong old password is a form error too',
      method: 'PATCH',
      url: `/api/collections/members/records/${annId}`,
      headers: { authorization: annToken },
      body: { username: 'a', oldPassword: 'wrong-pass', password: 'secret-pass-3', passwordConfirm: 'secret-pass-3' },
      status: 400,
      contains: ['"oldPassword":{"code":"validation_invalid_old_password"'],
      notContains: ['"username"'],
    });
  });
});

describe('manageRule on auth collections', () => {
  let manageApp: SatchelApp;
  let done: () => Promise<void>;
  let adminToken: string;
  let bobToken: string;
  let rootToken: string;
  let annId: string;
  let bobId: string;

  beforeAll(async () => {
    ({ app: manageApp, cleanup: done } = await tempApp(
      [
        memberCollection('members', {
          fields: [
            { name: 'username', type: 'text' },
            { name: 'role', type: 'text' },
            { name: 'buddy', type: 'relation', collectionId: 'members', maxSelect: 1 },
          ],
          updateRule: "id = @request.auth.id || @request.auth.role = 'admin'",
          manageRule: "@request.auth.role = 'admin'",
        }),
      ],
      { rateLimit: false },
    ));
    const make = (email: string, role: string) =>
      manageApp.records.create(
        'members',
        { email, role, password: 'secret-pass-1', passwordConfirm: 'secret-pass-1' },
        SUPERUSER,
      );
    await make('admin@example.com', 'admin');
    annId = String((await make('ann@example.com', '')).id);
    bobId = String((await make('bob@example.com', '')).id);
    await manageApp.records.update('members', bobId, { buddy: annId }, SUPERUSER);
    adminToken = (await signIn(manageApp, 'members', 'admin@example.com', 'secret-pass-1')).token;
    bobToken = (await signIn(manageApp, 'members', 'bob@example.com', 'secret-pass-1')).token;
    rootToken = await superuserToken(manageApp);
  });

  afterAll(() => done());

  it('a manager sees hidden e-mails; anyone else does not', async () => {
    await runScenario(manageApp, {
      name: 'admin lists',
      url: '/api/collections/members/records',
      headers: { authorization: adminToken },
      status: 200,
      contains: ['"email":"ann@example.com"', '"email":"bob@example.com"'],
    });
    await runScenario(manageApp, {
      name: 'admin views',
      url: `/api/collections/members/records/${annId}`,
      headers: { authorization: adminToken },
      status: 200,
      contains: ['"email":"ann@example.com"'],
    });
    await runScenario(manageApp, {
      name: 'admin expands',
      url: `/api/collections/members/records/${bobId}?expand=buddy`,
      headers: { authorization: adminToken },
      status: 200,
      contains: ['"buddy":{', '"email":"ann@example.com"'],
    });
    await runScenario(manageApp, {
      name: 'bob lists',
      url: '/api/collections/members/records',
      headers: { authorization: bobToken },
      status: 200,
      contains: ['"email":"bob@example.com"'],
      notContains: ['"email":"ann@example.com"', '"email":"admin@example.com"'],
    });
  });

  it("a manager changes another's e-mail, verified and password without oldPassword", async () => {
    await runScenario(manageApp, {
      name: 'admin manages ann',
      method: 'PATCH',
      url: `/api/collections/members/records/${annId}`,
      headers: { authorization: adminToken },
      body: {
        email: 'ann2@example.com',
        verified: true,
        password: 'managed-pass-1',
        passwordConfirm: 'managed-pass-1',
      },
      status: 200,
      contains: ['"email":"ann2@example.com"', '"verified":true'],
    });
    await signIn(manageApp, 'members', 'ann2@example.com', 'managed-pass-1');
  });

  it('a non-manager still may not: verified refused, oldPassword asked', async () => {
    await runScenario(manageApp, {
      name: 'bob verifies himself',
      method: 'PATCH',
      url: `/api/collections/members/records/${bobId}`,
      headers: { authorization: bobToken },
      body: { verified: true },
      status: 400,
      contains: ['"verified":{"code":"validation_values_mismatch"'],
    });
    await runScenario(manageApp, {
      name: 'bob changes his password without the old one',
      method: 'PATCH',
      url: `/api/collections/members/records/${bobId}`,
      headers: { authorization: bobToken },
      body: { password: 'other-pass-12', passwordConfirm: 'other-pass-12' },
      status: 400,
      contains: ['"oldPassword":{"code":"validation_required"'],
    });
  });

  it('the collections API accepts a manageRule, and refuses an empty one as PocketBase does', async () => {
    await runScenario(manageApp, {
      name: 'set manageRule',
      method: 'PATCH',
      url: '/api/collections/members',
      headers: { authorization: rootToken },
      body: { manageRule: "@request.auth.role = 'boss'" },
      status: 200,
      contains: [`"manageRule":"@request.auth.role = 'boss'"`],
    });
    await runScenario(manageApp, {
      name: 'empty manageRule',
      method: 'PATCH',
      url: '/api/collections/members',
      headers: { authorization: rootToken },
      body: { manageRule: '' },
      status: 400,
      contains: ['"manageRule":{"code":"validation_nil_or_not_empty_required"'],
    });
    await runScenario(manageApp, {
      name: 'the old manager no longer sees hidden e-mails',
      url: `/api/collections/members/records/${bobId}`,
      headers: { authorization: adminToken },
      status: 200,
      notContains: ['"email":"bob@example.com"'],
    });
  });
});

describe("superusers' token duration comes from the _superusers collection, editable like any auth collection's", () => {
  const lifetime = (token: string) => {
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number };
    return claims.exp - Math.floor(Date.now() / 1000);
  };

  it('defaults to PocketBase’s 86400 s; a PATCH sets it, kept in collections/_superusers.json', async () => {
    const dirs = tempDirs();
    const open = () => createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, rateLimit: false });
    const suApp = await open();
    try {
      const root = await suApp.auth.upsertSuperuser('root@example.com', 'root-password');
      expect(root.created).toBe(true);
      const first = (await signIn(suApp, '_superusers', 'root@example.com', 'root-password')).token;
      expect(Math.abs(lifetime(first) - 86400)).toBeLessThan(60);
      await runScenario(suApp, {
        name: 'set 14 days',
        method: 'PATCH',
        url: '/api/collections/_superusers',
        headers: { authorization: first },
        body: { authToken: { duration: 1209600 } },
        status: 200,
        contains: ['"duration":1209600'],
      });
      const second = (await signIn(suApp, '_superusers', 'root@example.com', 'root-password')).token;
      expect(Math.abs(lifetime(second) - 1209600)).toBeLessThan(60);
      await runScenario(suApp, {
        name: 'rules and names stay',
        method: 'PATCH',
        url: '/api/collections/_superusers',
        headers: { authorization: second },
        body: { listRule: '' },
        status: 400,
        contains: ['"listRule":{"code":"validation_system_collection"'],
      });
      expect(JSON.parse(readFileSync(join(dirs.collectionsDir, '_superusers.json'), 'utf8'))).toMatchObject({
        authToken: { duration: 1209600 },
      });
      // A restart reads the settings file back.
      await suApp.close();
      const again = await open();
      try {
        const third = (await signIn(again, '_superusers', 'root@example.com', 'root-password')).token;
        expect(Math.abs(lifetime(third) - 1209600)).toBeLessThan(60);
      } finally {
        await again.close();
      }
    } finally {
      await suApp.close().catch(() => undefined);
      dirs.remove();
    }
  });
});
