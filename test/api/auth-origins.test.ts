// Sign-in origins and new-device alerts through the official SDK, as PocketBase keeps them: the first origin of an
// account is remembered quietly, a sign-in from another IP/user agent mails an alert with the device, a known one
// does not; the collection's authAlert turns it off; origins go with their record.
import { createHash } from 'node:crypto';
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { memberCollection, nextMail, outbox, signUp } from '../helpers/auth.js';
import { sdkApp } from '../helpers/sdk-app.js';
import type { TempDirs } from '../helpers/temp-app.js';

const members = memberCollection('members', { otp: { enabled: true } });
const quiet = memberCollection('quiet', { authAlert: { enabled: false } });
const custom = memberCollection('custom', {
  authAlert: { enabled: true, emailTemplate: { subject: 'New {APP_NAME} sign-in', body: 'Seen: {ALERT_INFO}' } },
});

let app: SatchelApp;
let dirs: TempDirs;
let guest: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  let admin: PocketBase;
  ({ app, dirs, pb: admin, cleanup: done } = await sdkApp([members, quiet, custom], { rateLimit: false }));
  guest = new PocketBase(admin.baseURL).autoCancellation(false);
});

afterAll(() => done());

/** Signs in with a password from a device that sends `agent` as its User-Agent. */
async function signInFrom(collection: string, email: string, password: string, agent: string) {
  guest.authStore.clear();
  return guest.collection(collection).authWithPassword(email, password, { headers: { 'User-Agent': agent } });
}

const alerts = (to: string) => outbox(dirs.dataDir).filter((m) => m.to === to);

/** Waits long enough for a background mail that should not come, then checks the count. */
async function noNewMail(to: string, count: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(alerts(to)).toHaveLength(count);
}

const originsOf = (recordId: string) =>
  app.store.all<{ fingerprint: string; collectionRef: string }>(
    'SELECT "fingerprint", "collectionRef" FROM "_authOrigins" WHERE "recordRef" = ? ORDER BY "created"',
    [recordId],
  );

describe('sign-in origins', () => {
  it("a new account's first device is remembered without a mail, however often it signs in", async () => {
    const ann = await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password-1' });
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnPhone/1.0');
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnPhone/1.0');
    await noNewMail('ann@example.com', 0);
    const origins = await originsOf(ann.id);
    expect(origins).toHaveLength(1);
    // The fingerprint PocketBase stores: md5 of the IP and the user agent.
    expect(origins[0]!.fingerprint).toBe(createHash('md5').update('127.0.0.1AnnPhone/1.0').digest('hex'));
    expect(origins[0]!.collectionRef).toBe(app.records.catalog.find('members')!.id);
  });

  it('a sign-in from a new device mails an alert that names it; signing in there again does not', async () => {
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnLaptop/2.0 (X11)');
    const mail = await nextMail(dirs.dataDir, 0);
    expect(mail.to).toBe('ann@example.com');
    expect(mail.subject).toBe('Login from a new location');
    expect(mail.text).toContain('127.0.0.1 AnnLaptop/2.0 (X11)');
    expect(mail.text).toContain('Satchel');
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnLaptop/2.0 (X11)');
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnPhone/1.0');
    await noNewMail('ann@example.com', 1);
  });

  it('a failed sign-in from a new device neither mails nor is remembered', async () => {
    const ann = await app.records.storedByField(app.records.catalog.find('members')!, 'email', 'ann@example.com');
    const before = await originsOf(String(ann!.id));
    await expect(signInFrom('members', 'ann@example.com', 'wrong-password', 'Thief/6.6')).rejects.toMatchObject({
      status: 400,
    });
    await noNewMail('ann@example.com', 1);
    expect(await originsOf(String(ann!.id))).toEqual(before);
  });

  it('every sign-in method counts: a one-time code from a new device alerts too', async () => {
    const seen = outbox(dirs.dataDir).length;
    const { otpId } = await guest.collection('members').requestOTP('ann@example.com');
    const code = /one-time code is: (\d+)/.exec((await nextMail(dirs.dataDir, seen)).text)![1]!;
    guest.authStore.clear();
    await guest.collection('members').authWithOTP(otpId, code, { headers: { 'User-Agent': 'AnnTablet/3.0' } });
    const mail = await nextMail(dirs.dataDir, seen + 1);
    expect(mail.subject).toBe('Login from a new location');
    expect(mail.text).toContain('AnnTablet/3.0');
  });

  it('keeps the five most recent origins of a record', async () => {
    const bob = await signUp(app, 'members', { email: 'bob@example.com', password: 'bob-password-1' });
    for (let i = 1; i <= 7; i++) await signInFrom('members', 'bob@example.com', 'bob-password-1', `BobDevice/${i}`);
    const kept = (await originsOf(bob.id)).map((o) => o.fingerprint);
    const fp = (i: number) => createHash('md5').update(`127.0.0.1BobDevice/${i}`).digest('hex');
    expect(kept).toHaveLength(5);
    expect(new Set(kept)).toEqual(new Set([3, 4, 5, 6, 7].map(fp)));
    // Six new devices after the first: six alerts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(alerts('bob@example.com')).toHaveLength(6);
  });

  it("authAlert: {enabled: false} sends nothing; a custom template is the collection's own mail", async () => {
    await signUp(app, 'quiet', { email: 'cat@example.com', password: 'cat-password-1' });
    await signInFrom('quiet', 'cat@example.com', 'cat-password-1', 'One/1');
    await signInFrom('quiet', 'cat@example.com', 'cat-password-1', 'Two/2');
    await noNewMail('cat@example.com', 0);

    await signUp(app, 'custom', { email: 'dan@example.com', password: 'dan-password-1' });
    await signInFrom('custom', 'dan@example.com', 'dan-password-1', 'One/1');
    const seen = outbox(dirs.dataDir).length;
    await signInFrom('custom', 'dan@example.com', 'dan-password-1', 'Two/2');
    const mail = await nextMail(dirs.dataDir, seen);
    expect(mail.subject).toBe('New Satchel sign-in');
    expect(mail.text).toMatch(/^Seen: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z - 127\.0\.0\.1 Two\/2/);
  });

  it('the owner lists, views and deletes its own origins through the records API; others see none', async () => {
    const ann = await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnPhone/1.0');
    const list = await guest.collection('_authOrigins').getFullList();
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.every((o) => o.recordRef === ann.record.id && o.collectionName === '_authOrigins')).toBe(true);
    const phone = createHash('md5').update('127.0.0.1AnnPhone/1.0').digest('hex');
    const own = list.find((o) => o.fingerprint === phone)!;
    expect(own).toMatchObject({ collectionId: 'pbc_4275539003', collectionRef: ann.record.collectionId });
    expect((await guest.collection('_authOrigins').getOne(own.id)).fingerprint).toBe(phone);
    const page = await guest.collection('_authOrigins').getList(1, 2);
    expect(page).toMatchObject({ page: 1, perPage: 2, totalItems: list.length });
    expect(page.items).toHaveLength(2);

    // Bob sees only his own; a guest sees an empty list and 404s.
    const bob = new PocketBase(guest.baseURL).autoCancellation(false);
    await bob.collection('members').authWithPassword('bob@example.com', 'bob-password-1', {
      headers: { 'User-Agent': 'BobDevice/7' },
    });
    expect((await bob.collection('_authOrigins').getFullList()).every((o) => o.recordRef !== ann.record.id)).toBe(true);
    await expect(bob.collection('_authOrigins').getOne(own.id)).rejects.toMatchObject({ status: 404 });
    await expect(bob.collection('_authOrigins').delete(own.id)).rejects.toMatchObject({ status: 404 });
    const anonymous = new PocketBase(guest.baseURL).autoCancellation(false);
    expect(await anonymous.collection('_authOrigins').getFullList()).toEqual([]);
    await expect(anonymous.collection('_authOrigins').getList(1, 5, { filter: 'id != ""' })).rejects.toMatchObject({
      status: 400,
    });

    // Deleting the phone's origin: the next sign-in from it alerts again.
    await guest.collection('_authOrigins').delete(own.id);
    const seen = outbox(dirs.dataDir).length;
    await signInFrom('members', 'ann@example.com', 'ann-password-1', 'AnnPhone/1.0');
    expect((await nextMail(dirs.dataDir, seen)).text).toContain('AnnPhone/1.0');
  });

  it('a new password forgets the origins: the next sign-in, from anywhere, counts as the first', async () => {
    const fay = await signUp(app, 'members', { email: 'fay@example.com', password: 'fay-password-1' });
    await signInFrom('members', 'fay@example.com', 'fay-password-1', 'FayPhone/1');
    let seen = outbox(dirs.dataDir).length;
    const auth = await signInFrom('members', 'fay@example.com', 'fay-password-1', 'FayLaptop/1');
    expect((await nextMail(dirs.dataDir, seen)).text).toContain('FayLaptop/1');
    expect(await originsOf(fay.id)).toHaveLength(2);

    guest.authStore.save(auth.token, auth.record);
    await guest.collection('members').update(fay.id, {
      oldPassword: 'fay-password-1',
      password: 'fay-password-2',
      passwordConfirm: 'fay-password-2',
    });
    await signInFrom('members', 'fay@example.com', 'fay-password-2', 'FayTablet/1');
    await noNewMail('fay@example.com', 1);
    const tablet = createHash('md5').update('127.0.0.1FayTablet/1').digest('hex');
    expect((await originsOf(fay.id)).map((o) => o.fingerprint)).toEqual([tablet]);

    // The phone was forgotten with the old password: it is a new place again.
    seen = outbox(dirs.dataDir).length;
    await signInFrom('members', 'fay@example.com', 'fay-password-2', 'FayPhone/1');
    expect((await nextMail(dirs.dataDir, seen)).text).toContain('FayPhone/1');
  });

  it("a record's origins, and its pending one-time codes, are deleted with it", async () => {
    const eve = await signUp(app, 'members', { email: 'eve@example.com', password: 'eve-password-1' });
    const auth = await signInFrom('members', 'eve@example.com', 'eve-password-1', 'EvePhone/1');
    await guest.collection('members').requestOTP('eve@example.com');
    const otps = () => app.store.all('SELECT "id" FROM "_otps" WHERE "recordRef" = ?', [eve.id]);
    expect(await originsOf(eve.id)).toHaveLength(1);
    expect(await otps()).toHaveLength(1);
    await guest.collection('members').delete(auth.record.id);
    expect(await originsOf(eve.id)).toHaveLength(0);
    expect(await otps()).toHaveLength(0);
  });
});
