// Sign-in with a one-time code through the official SDK (requestOTP, authWithOTP): the code goes by mail, works
// once and only in time, proves the address; an unknown address gets an otpId and no mail.
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { memberCollection, nextMail, outbox, signUp } from '../helpers/auth.js';
import { sdkApp } from '../helpers/sdk-app.js';
import type { TempDirs } from '../helpers/temp-app.js';

const members = memberCollection('members', { otp: { enabled: true, duration: 300, length: 6 } });
const staff = memberCollection('staff');

let app: SatchelApp;
let dirs: TempDirs;
let guest: PocketBase;
let admin: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  ({ app, dirs, pb: admin, cleanup: done } = await sdkApp([members, staff], { rateLimit: false }));
  guest = new PocketBase(admin.baseURL).autoCancellation(false);
  await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password-1' });
});

afterAll(() => done());

/** Asks for a code for `email` and returns the otpId with the code from the mail. */
async function codeFor(email: string): Promise<{ otpId: string; code: string }> {
  const seen = outbox(dirs.dataDir).length;
  const { otpId } = await guest.collection('members').requestOTP(email);
  const mail = await nextMail(dirs.dataDir, seen);
  expect(mail.to).toBe(email);
  const code = /one-time code is: (\d+)/.exec(mail.text)?.[1];
  expect(code).toMatch(/^\d{6}$/);
  return { otpId, code: code! };
}

const refused = (p: Promise<unknown>): Promise<ClientResponseError> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as ClientResponseError,
  );

describe('one-time codes', () => {
  it('auth-methods says OTP is on, with its duration; a collection without it refuses (403)', async () => {
    expect((await guest.collection('members').listAuthMethods()).otp).toEqual({ enabled: true, duration: 300 });
    expect((await guest.collection('staff').listAuthMethods()).otp).toEqual({ enabled: false, duration: 0 });
    expect((await refused(guest.collection('staff').requestOTP('ann@example.com'))).status).toBe(403);
  });

  it('the mailed code signs in once, and marks the address verified', async () => {
    const { otpId, code } = await codeFor('ann@example.com');
    const wrong = await refused(
      guest.collection('members').authWithOTP(otpId, code === '000000' ? '111111' : '000000'),
    );
    expect(wrong.status).toBe(400);
    const auth = await guest.collection('members').authWithOTP(otpId, code);
    expect(auth.record.email).toBe('ann@example.com');
    expect(auth.record.verified).toBe(true);
    expect(guest.authStore.isValid).toBe(true);
    guest.authStore.clear();
    expect((await refused(guest.collection('members').authWithOTP(otpId, code))).status).toBe(400);
  });

  it('an expired code is refused; an unknown address gets an otpId but no mail', async () => {
    const { otpId, code } = await codeFor('ann@example.com');
    await app.store.run(`UPDATE "_otps" SET "created" = '2000-01-01 00:00:00.000Z' WHERE "id" = ?`, [otpId]);
    const expired = await refused(guest.collection('members').authWithOTP(otpId, code));
    expect(expired.status).toBe(400);
    expect(expired.message).toBe('Invalid or expired OTP.');

    const seen = outbox(dirs.dataDir).length;
    const { otpId: unknownId } = await guest.collection('members').requestOTP('nobody@example.com');
    expect(unknownId).toMatch(/^[a-z0-9]{15}$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(outbox(dirs.dataDir)).toHaveLength(seen);
    expect((await refused(guest.collection('members').requestOTP('not an address'))).status).toBe(400);
  });

  it("a collection cannot take the name of Satchel's table of codes", async () => {
    const err = await refused(admin.collections.create({ name: '_otps', type: 'base', fields: [] }));
    expect(err.status).toBe(400);
    expect(JSON.stringify(err.response)).toMatch(/_otps/);
  });
});
