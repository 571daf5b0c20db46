// MFA through the official SDK: with mfa.enabled, a password sign-in answers 401 with an mfaId, and a one-time
// code sent with that mfaId completes the sign-in; the same method twice, another record's step, an old step
// and records the mfa.rule leaves out behave as PocketBase's.
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { memberCollection, nextMail, outbox, signUp } from '../helpers/auth.js';
import { sdkApp } from '../helpers/sdk-app.js';
import type { TempDirs } from '../helpers/temp-app.js';

const members = memberCollection('members', {
  otp: { enabled: true, duration: 300, length: 6 },
  // Only accounts whose username starts with "secure" need the second step.
  mfa: { enabled: true, duration: 600, rule: 'username ~ "secure%"' },
});

let app: SatchelApp;
let dirs: TempDirs;
let pb: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  let admin: PocketBase;
  ({ app, dirs, pb: admin, cleanup: done } = await sdkApp([members], { rateLimit: false }));
  pb = new PocketBase(admin.baseURL).autoCancellation(false);
  await signUp(app, 'members', { email: 'ann@example.com', username: 'secure_ann', password: 'ann-password-1' });
  await signUp(app, 'members', { email: 'bob@example.com', username: 'plain_bob', password: 'bob-password-1' });
});

afterAll(() => done());

const refused = (p: Promise<unknown>): Promise<ClientResponseError> =>
  p.then(
    () => {
      throw new Error('expected a refusal');
    },
    (e: unknown) => e as ClientResponseError,
  );

/** The first step: a password sign-in that answers 401 with the mfaId. */
async function firstStep(email: string, password: string): Promise<string> {
  const err = await refused(pb.collection('members').authWithPassword(email, password));
  expect(err.status).toBe(401);
  expect(typeof err.response.mfaId).toBe('string');
  return err.response.mfaId as string;
}

async function otpCode(email: string): Promise<{ otpId: string; code: string }> {
  const seen = outbox(dirs.dataDir).length;
  const { otpId } = await pb.collection('members').requestOTP(email);
  const code = /one-time code is: (\d+)/.exec((await nextMail(dirs.dataDir, seen)).text)![1]!;
  return { otpId, code };
}

it('auth-methods reports MFA on with its duration', async () => {
  expect((await pb.collection('members').listAuthMethods()).mfa).toEqual({ enabled: true, duration: 600 });
});

it('a password then a one-time code with the mfaId signs in; the code alone or the step twice does not', async () => {
  const mfaId = await firstStep('ann@example.com', 'ann-password-1');
  // The same method again is not a second factor.
  const same = await refused(pb.collection('members').authWithPassword('ann@example.com', 'ann-password-1', { mfaId }));
  expect(same.status).toBe(400);
  expect(same.message).toBe('A different authentication method is required.');
  const { otpId, code } = await otpCode('ann@example.com');
  const auth = await pb.collection('members').authWithOTP(otpId, code, { mfaId });
  expect(auth.record.email).toBe('ann@example.com');
  expect(pb.authStore.isValid).toBe(true);
  pb.authStore.clear();
  // Used: the step cannot complete another sign-in.
  const again = await otpCode('ann@example.com');
  const reused = await refused(pb.collection('members').authWithOTP(again.otpId, again.code, { mfaId }));
  expect(reused.message).toBe('Invalid or expired MFA session.');
});

it('records outside mfa.rule need one method; an expired step is refused', async () => {
  const mfaId = await firstStep('ann@example.com', 'ann-password-1');
  // Bob is outside the rule: one method is enough for him.
  const bob = await pb.collection('members').authWithPassword('bob@example.com', 'bob-password-1');
  expect(bob.record.email).toBe('bob@example.com');
  pb.authStore.clear();
  await app.store.run(`UPDATE "_mfas" SET "created" = '2000-01-01 00:00:00.000Z' WHERE "id" = ?`, [mfaId]);
  const { otpId, code } = await otpCode('ann@example.com');
  const old = await refused(pb.collection('members').authWithOTP(otpId, code, { mfaId }));
  expect(old.message).toBe('Invalid or expired MFA session.');
});
