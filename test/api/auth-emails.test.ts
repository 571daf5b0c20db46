// The account e-mail flows end to end: request, read the mail in the outbox, confirm; reuse and expiry refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { linkToken, memberCollection, nextMail, outbox, signIn, signUp } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { dashboardCode } from '../helpers/dashboard-page.js';
import { tempApp, type TempDirs } from '../helpers/temp-app.js';

const APP_URL = 'https://app.example.test';

let app: SatchelApp;
let dirs: TempDirs;
let cleanup: () => Promise<void>;
const logged: string[] = [];

beforeAll(async () => {
  ({ app, dirs, cleanup } = await tempApp(
    [
      memberCollection('members'),
      memberCollection('staff'),
      memberCollection('quick', {
        verificationToken: { duration: 1 },
        passwordResetToken: { duration: 1 },
        emailChangeToken: { duration: 1 },
      }),
    ],
    { rateLimit: false, appUrl: APP_URL, mail: { log: (line) => logged.push(line) } },
  ));
  await app.auth.upsertSuperuser('root@example.com', 'root-password');
});
afterAll(() => cleanup());

const post = (url: string, body: object, authorization?: string) =>
  send(app, { method: 'POST', url, body, headers: authorization ? { authorization } : {} });

/** Posts and expects `status`; returns the parsed body (if any). */
async function expectPost(url: string, body: object, status: number, authorization?: string): Promise<any> {
  const res = await post(url, body, authorization);
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return text ? JSON.parse(text) : undefined;
}

const INVALID_TOKEN = { code: 'validation_invalid_token', message: 'Invalid or expired token.' };
/** The stored row; `verified` as 1 or 0 whatever the database's boolean (SQLite's integer, PostgreSQL's bool). */
const row = async (id: string) => {
  const stored = (await app.engine.store.one('SELECT * FROM members WHERE id = ?', [id])) as Record<string, any>;
  return { ...stored, verified: Number(stored.verified) };
};

/** Requests a mail and returns the token of its link; the mail must go to `to`. */
async function mailedToken(
  url: string,
  body: object,
  to: string,
  action: string,
  authorization?: string,
): Promise<string> {
  const seen = outbox(dirs.dataDir).length;
  await expectPost(url, body, 204, authorization);
  const mail = await nextMail(dirs.dataDir, seen);
  expect(mail.to).toBe(to);
  expect(mail.text).toContain(`${APP_URL}/_/#/auth/${action}/`);
  return linkToken(mail, action);
}

/** Waits long enough for a background send to have happened, then checks nothing was written. */
async function expectNoMailAfter(request: () => Promise<unknown>): Promise<void> {
  const before = outbox(dirs.dataDir).length;
  await request();
  await new Promise((resolve) => setTimeout(resolve, 150));
  expect(outbox(dirs.dataDir).length).toBe(before);
}

describe('verification', () => {
  it('mails a link; confirming verifies the record; a second click changes nothing (204, as PocketBase)', async () => {
    const ann = await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password' });
    const token = await mailedToken(
      '/api/collections/members/request-verification',
      { email: 'ANN@example.com' },
      'ann@example.com',
      'confirm-verification',
    );
    expect(logged.some((line) => line.includes('ann@example.com') && line.includes('outbox'))).toBe(true);
    await expectPost('/api/collections/staff/confirm-verification', { token }, 400).then((j) =>
      expect(j.data.token.code).toBe('validation_token_collection_mismatch'),
    );
    await expectPost('/api/collections/members/confirm-verification', { token }, 204);
    expect((await row(ann.id)).verified).toBe(1);
    await expectPost('/api/collections/members/confirm-verification', { token }, 204);
    expect((await row(ann.id)).verified).toBe(1);
  });

  it('answers 204 and sends nothing for an unknown or an already verified address', async () => {
    await expectNoMailAfter(() =>
      expectPost('/api/collections/members/request-verification', { email: 'nobody@example.com' }, 204),
    );
    await expectNoMailAfter(() =>
      expectPost('/api/collections/members/request-verification', { email: 'ann@example.com' }, 204),
    );
  });

  it('refuses a malformed address, a blank token, a superuser request, a base path', async () => {
    const bad = await expectPost('/api/collections/members/request-verification', { email: 'not-an-email' }, 400);
    expect(bad.data.email.code).toBe('validation_is_email');
    const blank = await expectPost('/api/collections/members/confirm-verification', {}, 400);
    expect(blank.data.token.code).toBe('validation_required');
    const root = await expectPost(
      '/api/collections/_superusers/request-verification',
      { email: 'root@example.com' },
      400,
    );
    expect(root.message).toBe('All superusers are verified by default.');
    await expectPost('/api/collections/nosuch/request-verification', { email: 'a@b.cd' }, 404);
  });
});

describe('password reset', () => {
  it('mails a link; the new password works, old tokens and the link stop working', async () => {
    const bea = await signUp(app, 'members', { email: 'bea@example.com', password: 'bea-password' });
    const session = (await signIn(app, 'members', 'bea@example.com', 'bea-password')).token;
    const token = await mailedToken(
      '/api/collections/members/request-password-reset',
      { email: 'bea@example.com' },
      'bea@example.com',
      'confirm-password-reset',
    );
    const url = '/api/collections/members/confirm-password-reset';
    const mismatch = await expectPost(
      url,
      { token, password: 'new-password-1', passwordConfirm: 'other-password' },
      400,
    );
    expect(mismatch.data.passwordConfirm.code).toBe('validation_values_mismatch');
    const short = await expectPost(url, { token, password: 'short', passwordConfirm: 'short' }, 400);
    // PocketBase's form checks the length (the field's minimum to 255) before the field's own constraints.
    expect(short.data.password).toEqual({
      code: 'validation_length_out_of_range',
      message: 'The length must be between 8 and 255.',
    });
    await expectPost(url, { token, password: 'new-password-1', passwordConfirm: 'new-password-1' }, 204);

    await expectPost('/api/collections/members/auth-refresh', {}, 401, session);
    await expect(signIn(app, 'members', 'bea@example.com', 'bea-password')).rejects.toThrow('400');
    expect((await signIn(app, 'members', 'bea@example.com', 'new-password-1')).record.id).toBe(bea.id);
    // The mail reached the address on file: it is verified now.
    expect((await row(bea.id)).verified).toBe(1);
    const reuse = await expectPost(url, { token, password: 'new-password-2', passwordConfirm: 'new-password-2' }, 400);
    expect(reuse.data.token).toEqual(INVALID_TOKEN);
  });

  it('works once even when two confirmations race', async () => {
    await signUp(app, 'members', { email: 'cyd@example.com', password: 'cyd-password' });
    const token = await mailedToken(
      '/api/collections/members/request-password-reset',
      { email: 'cyd@example.com' },
      'cyd@example.com',
      'confirm-password-reset',
    );
    const url = '/api/collections/members/confirm-password-reset';
    const results = await Promise.all(
      ['race-password-1', 'race-password-2', 'race-password-3'].map((p) =>
        post(url, { token, password: p, passwordConfirm: p }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([204, 400, 400]);
  });

  it('answers 204 and sends nothing for an unknown address', async () => {
    await expectNoMailAfter(() =>
      expectPost('/api/collections/members/request-password-reset', { email: 'nobody@example.com' }, 204),
    );
  });
});

describe('e-mail change', () => {
  it('needs a signed-in record of the collection', async () => {
    await expectPost('/api/collections/members/request-email-change', { newEmail: 'x@example.com' }, 401);
    await signUp(app, 'staff', { email: 'sam@example.com', password: 'sam-password' });
    const token = (await signIn(app, 'staff', 'sam@example.com', 'sam-password')).token;
    await expectPost('/api/collections/members/request-email-change', { newEmail: 'x@example.com' }, 403, token);
  });

  it('mails the new address; with the password the record moves there, verified; the link works once', async () => {
    const dot = await signUp(app, 'members', { email: 'dot@example.com', password: 'dot-password' });
    const session = (await signIn(app, 'members', 'dot@example.com', 'dot-password')).token;
    const url = '/api/collections/members/request-email-change';
    const taken = await expectPost(url, { newEmail: 'ANN@example.com' }, 400, session);
    expect(taken.data.newEmail.code).toBe('validation_invalid_new_email');
    await expectPost(url, { newEmail: 'dot@example.com' }, 400, session);
    await expectPost(url, { newEmail: 'nonsense' }, 400, session);

    const token = await mailedToken(
      url,
      { newEmail: 'dot.new@example.com' },
      'dot.new@example.com',
      'confirm-email-change',
      session,
    );
    const confirm = '/api/collections/members/confirm-email-change';
    const wrong = await expectPost(confirm, { token, password: 'not-her-password' }, 400);
    expect(wrong.data.password.code).toBe('validation_invalid_password');
    await expectPost(confirm, { token, password: 'dot-password' }, 204);
    expect(await row(dot.id)).toMatchObject({ email: 'dot.new@example.com', verified: 1 });
    expect((await signIn(app, 'members', 'dot.new@example.com', 'dot-password')).record.id).toBe(dot.id);
    await expectPost(confirm, { token, password: 'dot-password' }, 400);
  });

  it('refuses for superusers, who change their e-mail directly', async () => {
    const root = (await signIn(app, '_superusers', 'root@example.com', 'root-password')).token;
    const j = await expectPost(
      '/api/collections/_superusers/request-email-change',
      { newEmail: 'r@example.com' },
      400,
      root,
    );
    expect(j.message).toBe('All superusers can change their emails directly.');
  });
});

describe('expired links', () => {
  it('are refused, for each flow', async () => {
    const eli = await signUp(app, 'quick', { email: 'eli@example.com', password: 'eli-password' });
    const session = (await signIn(app, 'quick', 'eli@example.com', 'eli-password')).token;
    const base = '/api/collections/quick';
    const verification = await mailedToken(
      `${base}/request-verification`,
      { email: 'eli@example.com' },
      'eli@example.com',
      'confirm-verification',
    );
    const reset = await mailedToken(
      `${base}/request-password-reset`,
      { email: 'eli@example.com' },
      'eli@example.com',
      'confirm-password-reset',
    );
    const change = await mailedToken(
      `${base}/request-email-change`,
      { newEmail: 'eli2@example.com' },
      'eli2@example.com',
      'confirm-email-change',
      session,
    );
    // These tokens last one second.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    for (const [url, body] of [
      [`${base}/confirm-verification`, { token: verification }],
      [
        `${base}/confirm-password-reset`,
        { token: reset, password: 'eli-password-2', passwordConfirm: 'eli-password-2' },
      ],
      [`${base}/confirm-email-change`, { token: change, password: 'eli-password' }],
    ] as const) {
      const j = await expectPost(url, body, 400);
      expect(j.data.token, url).toEqual(INVALID_TOKEN);
    }
    const stored = await app.engine.store.one<{ email: string; verified: unknown }>(
      'SELECT email, verified FROM quick WHERE id = ?',
      [eli.id],
    );
    expect({ ...stored, verified: Number(stored?.verified) }).toEqual({ email: 'eli@example.com', verified: 0 });
  });
});

describe('the links open the page at /_/', () => {
  it('serves the page that confirms them', async () => {
    const res = await send(app, { url: '/_/' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    await res.arrayBuffer();
    // The page (or the dashboard's script it loads) knows each action the links name.
    const code = await dashboardCode((url) => send(app, { url }));
    for (const action of ['confirm-verification', 'confirm-password-reset', 'confirm-email-change']) {
      expect(code).toContain(action);
    }
  });
});
