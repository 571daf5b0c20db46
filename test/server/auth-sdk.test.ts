// Auth as a new user meets it: the official PocketBase SDK against `satchel serve`, the superuser CLI,
// the first-run installer link, PUT /user and the rate limit on loopback.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkToken, memberCollection, nextMail, outbox } from '../helpers/auth.js';
import { dashboardCode } from '../helpers/dashboard-page.js';
import { cleanup, makeTempDir, ROOT, runCli, startServer, type CliResult, type TestServer } from './helpers/server.js';

const usersDefinition = JSON.parse(readFileSync(join(ROOT, 'collections', 'users.json'), 'utf8'));

const client = (url: string) => new PocketBase(url).autoCancellation(false);

async function responseError(promise: Promise<unknown>): Promise<ClientResponseError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ClientResponseError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

/** A refusal of the CLI: exit 1 and one `satchel:` line on stderr. */
function expectOneLineFailure(result: CliResult): string {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^satchel: \S/);
  expect(result.stderr).not.toContain('    at ');
  return lines[0]!;
}

afterAll(async () => {
  await cleanup();
});

describe('satchel superuser', () => {
  const dataDir = () => makeTempDir('satchel-data-');
  it('upsert creates, then updates; delete removes; refusals are one line', async () => {
    const dir = dataDir();
    const collections = makeTempDir('satchel-collections-');
    const flags = [`--dir=${dir}`, `--collections=${collections}`];
    const created = await runCli(['superuser', 'upsert', 'admin@example.com', 'first-password', ...flags]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain('Superuser admin@example.com created.');
    const updated = await runCli(['superuser', 'upsert', 'ADMIN@example.com', 'second-password', ...flags]);
    expect(updated.stdout).toContain('Superuser ADMIN@example.com updated.');

    // The new password signs in on a server over that directory; there is no installer link.
    const server = await startServer({ dataDir: dir, collectionsDir: collections });
    const pb = client(server.url);
    await pb.collection('_superusers').authWithPassword('admin@example.com', 'second-password');
    expect(pb.authStore.isSuperuser).toBe(true);
    expect(server.output()).not.toContain('pbinstall');
    await server.stop();

    expect(
      expectOneLineFailure(await runCli(['superuser', 'upsert', 'not-an-email', 'long-enough-1', ...flags])),
    ).toContain('email');
    expect(expectOneLineFailure(await runCli(['superuser', 'upsert', 'b@example.com', 'short', ...flags]))).toContain(
      'password',
    );
    expect(expectOneLineFailure(await runCli(['superuser', 'upsert', 'b@example.com', ...flags]))).toContain(
      'EMAIL PASSWORD',
    );
    expect(expectOneLineFailure(await runCli(['superuser', 'delete', 'nobody@example.com', ...flags]))).toContain(
      'nobody@example.com',
    );
    expect(expectOneLineFailure(await runCli(['superuser', 'frobnicate', ...flags]))).toContain('upsert');
    expect(
      expectOneLineFailure(await runCli(['superuser', 'delete', 'a@b.cd', '--http=127.0.0.1:1', ...flags])),
    ).toContain('--http');

    const deleted = await runCli(['superuser', 'delete', 'admin@example.com', ...flags]);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(deleted.stdout).toContain('Superuser admin@example.com deleted.');
    expect(expectOneLineFailure(await runCli(['superuser', 'delete', 'admin@example.com', ...flags]))).toContain(
      'admin@example.com',
    );
  });

  it('--help describes the command', async () => {
    const help = await runCli(['superuser', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('satchel superuser upsert EMAIL PASSWORD');
    expect((await runCli(['--help'])).stdout).toContain('superuser');
  });
});

describe('first run: the installer link', () => {
  it('is printed when there is no superuser, creates exactly one, and is gone after', async () => {
    const server = await startServer();
    const link = /http:\/\/127\.0\.0\.1:\d+\/_\/#\/pbinstall\/([\w.-]+)/.exec(server.output());
    expect(link, server.output()).not.toBeNull();
    expect(link![0].startsWith(server.url)).toBe(true);
    const token = link![1]!;

    const page = await fetch(`${server.url}/_/`);
    expect(page.status).toBe(200);
    await page.arrayBuffer();
    // The page (or the dashboard's script) creates the superuser through the installer route.
    expect(await dashboardCode((path) => fetch(`${server.url}${path}`))).toContain('/api/installer');

    const install = (authorization: string, body: object) =>
      fetch(`${server.url}/api/installer`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const body = { email: 'first@example.com', password: 'first-password', passwordConfirm: 'first-password' };
    expect((await install('not-the-token', body)).status).toBe(401);
    const short = await install(token, { ...body, password: 'short', passwordConfirm: 'short' });
    expect(short.status).toBe(400);
    expect(((await short.json()) as any).data.password.code).toBe('validation_min_text_constraint');
    const ok = await install(token, body);
    expect(ok.status).toBe(200);
    const created = (await ok.json()) as any;
    expect(created.record).toMatchObject({ email: 'first@example.com', collectionName: '_superusers', verified: true });
    // The token of the answer is a superuser session.
    const pb = client(server.url);
    pb.authStore.save(created.token, created.record);
    expect((await pb.collection('_superusers').getFullList()).map((r) => r.email)).toEqual(['first@example.com']);
    // The link allowed one thing, once.
    expect((await install(token, { ...body, email: 'second@example.com' })).status).toBe(400);
    // The installer token is no auth token.
    expect(
      (await fetch(`${server.url}/api/collections/_superusers/records`, { headers: { authorization: token } })).status,
    ).toBe(403);

    const { dataDir, collectionsDir } = server;
    await server.stop();
    const again = await startServer({ dataDir, collectionsDir });
    expect(again.output()).not.toContain('pbinstall');
    await again.stop();
  });
});

describe('a new user with the official SDK', () => {
  let server: TestServer;
  beforeAll(async () => {
    const dataDir = makeTempDir('satchel-data-');
    const collectionsDir = makeTempDir('satchel-collections-');
    const upsert = await runCli([
      'superuser',
      'upsert',
      'root@example.com',
      'root-password',
      `--dir=${dataDir}`,
      `--collections=${collectionsDir}`,
    ]);
    expect(upsert.code, upsert.stderr).toBe(0);
    server = await startServer({
      dataDir,
      collectionsDir,
      collections: [usersDefinition, memberCollection('members')],
    });
  });

  it('signs up, signs in, refreshes, reads its own record and is refused another', async () => {
    const pb = client(server.url);
    const ann = await pb.collection('users').create({
      email: 'ann@example.com',
      username: 'ann.sdk',
      password: 'ann-password',
      passwordConfirm: 'ann-password',
    });
    const other = await pb.collection('users').create({
      email: 'bob@example.com',
      username: 'bob.sdk',
      password: 'bob-password',
      passwordConfirm: 'bob-password',
    });
    expect(ann).not.toHaveProperty('password');
    expect(ann).not.toHaveProperty('tokenKey');

    const auth = await pb.collection('users').authWithPassword('ann.sdk', 'ann-password');
    expect(pb.authStore.isValid).toBe(true);
    expect(pb.authStore.isSuperuser).toBe(false);
    expect(auth.record).toMatchObject({ id: ann.id, email: 'ann@example.com', collectionName: 'users' });

    const before = pb.authStore.token;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later exp makes a different token
    const refreshed = await pb.collection('users').authRefresh();
    expect(refreshed.token).not.toBe(before);
    expect(pb.authStore.token).toBe(refreshed.token);

    // users.json's rules: id = @request.auth.id.
    const own = await pb.collection('users').getOne(ann.id);
    expect(own).toMatchObject({ id: ann.id, email: 'ann@example.com' });
    expect((await responseError(pb.collection('users').getOne(other.id))).status).toBe(404);
    expect((await pb.collection('users').getFullList()).map((r) => r.id)).toEqual([ann.id]);

    const methods = await pb.collection('users').listAuthMethods();
    expect(methods.password).toEqual({ identityFields: ['email', 'username'], enabled: true });

    pb.authStore.clear();
    const wrong = await responseError(pb.collection('users').authWithPassword('ann.sdk', 'not-her-password'));
    expect(wrong.status).toBe(400);
    expect(wrong.response).toEqual({ status: 400, message: 'Failed to authenticate.', data: {} });
  });

  it('a superuser signs in through _superusers and sees everything', async () => {
    const pb = client(server.url);
    await pb.collection('_superusers').authWithPassword('root@example.com', 'root-password');
    expect(pb.authStore.isSuperuser).toBe(true);
    expect(pb.authStore.record?.collectionId).toBe('pbc_3142635823');
    const users = await pb.collection('users').getFullList();
    expect(users.map((u) => u.email).sort()).toEqual(['ann@example.com', 'bob@example.com']);
    await pb.collection('_superusers').authRefresh();
    expect(pb.authStore.isValid).toBe(true);
  });

  it('resets a forgotten password from the mail in the outbox; the old session ends', async () => {
    const pb = client(server.url);
    await pb
      .collection('members')
      .create({ email: 'cy@example.com', password: 'cy-password', passwordConfirm: 'cy-password' });
    await pb.collection('members').authWithPassword('cy@example.com', 'cy-password');
    const session = pb.authStore.token;

    const seen = outbox(server.dataDir).length;
    expect(await pb.collection('members').requestPasswordReset('cy@example.com')).toBe(true);
    const mail = await nextMail(server.dataDir, seen);
    expect(mail.text).toContain(`${server.url}/_/#/auth/confirm-password-reset/`);
    // The server logs where the mail went (the line may trail the file by a moment).
    for (let i = 0; i < 100 && !server.output().includes(mail.file); i++) await new Promise((r) => setTimeout(r, 20));
    expect(server.output()).toContain(mail.file);
    const token = linkToken(mail, 'confirm-password-reset');
    expect(await pb.collection('members').confirmPasswordReset(token, 'cy-password-2', 'cy-password-2')).toBe(true);

    expect((await responseError(pb.collection('members').authRefresh())).status).toBe(401);
    pb.authStore.clear();
    const reauth = await pb.collection('members').authWithPassword('cy@example.com', 'cy-password-2');
    expect(reauth.token).not.toBe(session);
    expect(
      (await responseError(pb.collection('members').confirmPasswordReset(token, 'cy-password-3', 'cy-password-3')))
        .status,
    ).toBe(400);
  });

  it('PUT /user with curl-like fetch answers the seed shape and a token the SDK can use', async () => {
    const res = await fetch(`${server.url}/user?requestKey=r1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: 'dee.put',
        password: 'dee-password',
        passwordConfirm: 'dee-password',
        email: 'dee@example.com',
      }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(Object.keys(body)).toEqual([
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
    ]);
    const pb = client(server.url);
    pb.authStore.save(body.token, null);
    expect((await pb.collection('users').authRefresh()).record).toMatchObject({
      id: body.id,
      email: 'dee@example.com',
    });
  });

  it('rate limits sign-ins from loopback by default: 429 with Retry-After', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 40; i++) {
      last = await fetch(`${server.url}/api/collections/members/auth-with-password`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identity: 'nobody@example.com', password: 'wrong-password' }),
      });
      if (last.status === 429) break;
      expect(last.status).toBe(400);
    }
    expect(last!.status).toBe(429);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
