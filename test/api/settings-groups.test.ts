// The settings' groups in PocketBase's shape through the official SDK: defaults, validation with paths, secrets
// never returned (and kept when a PATCH leaves them out), and the SMTP server and S3 bucket of the settings used
// at once: test e-mails reach a real SMTP conversation, test/s3 and uploads reach a real bucket (s3rver).
import type PocketBase from 'pocketbase';
import { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { S3Storage } from '../../src/core/files/s3-storage.js';
import { fakeSmtp } from '../helpers/fake-smtp.js';
import { startBuckets, type TestBuckets } from '../helpers/s3rver.js';
import { sdkApp } from '../helpers/sdk-app.js';
import { OPEN_RULES } from '../helpers/temp-app.js';

const docs = { name: 'docs', ...OPEN_RULES, fields: [{ name: 'attachment', type: 'file', maxSelect: 1 }] };

let app: SatchelApp;
let pb: PocketBase;
let done: () => Promise<void>;

beforeAll(async () => {
  ({ app, pb, cleanup: done } = await sdkApp([docs], { rateLimit: false }));
});

afterAll(() => done());

/** The 400's data of a settings update that must fail. */
async function refused(body: Record<string, unknown>): Promise<any> {
  const err = await pb.settings.update(body).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ClientResponseError);
  expect((err as ClientResponseError).status).toBe(400);
  return (err as ClientResponseError).response.data;
}

describe('shape and validation', () => {
  it('getAll has every PocketBase group with its defaults and no secrets', async () => {
    const all = await pb.settings.getAll();
    for (const group of ['meta', 'smtp', 's3', 'backups', 'batch', 'rateLimits', 'trustedProxy', 'logs']) {
      expect(all, group).toHaveProperty(group);
    }
    expect(all.smtp).toMatchObject({ enabled: false, port: 587, authMethod: 'PLAIN', tls: false });
    expect(all.smtp).not.toHaveProperty('password');
    expect(all.s3).not.toHaveProperty('secret');
    expect(all.backups).toMatchObject({ cron: '', cronMaxKeep: 3 });
    expect(all.logs).toEqual({ maxDays: 5, minLevel: 0, logIP: true, logAuthId: false });
    expect(all.batch).toEqual({ enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 });
  });

  it('bad values are a 400 naming each path, and nothing is stored', async () => {
    const before = structuredClone(app.settings.get());
    expect(await refused({ smtp: { enabled: true, host: '' } })).toEqual({
      smtp: { host: { code: 'validation_required', message: 'Cannot be blank.' } },
    });
    const s3 = await refused({ s3: { enabled: true, bucket: 'b' } });
    expect(Object.keys(s3.s3).sort()).toEqual(['accessKey', 'endpoint', 'region', 'secret']);
    expect((await refused({ backups: { cron: 'every day' } })).backups.cron.code).toBe('validation_invalid_cron');
    const types = await refused({ logs: { maxDays: -1, logIP: 'yes' }, smtp: { port: 'x' }, batch: { timeout: 1.5 } });
    expect(Object.keys(types).sort()).toEqual(['batch', 'logs', 'smtp']);
    expect(Object.keys(types.logs).sort()).toEqual(['logIP', 'maxDays']);
    expect(app.settings.get()).toEqual(before);
  });

  it('a PATCH changes only what it names; a secret left out is kept, and never shown', async () => {
    await pb.settings.update({ smtp: { username: 'mailer', password: 's3cret' }, logs: { maxDays: 9 } });
    await pb.settings.update({ smtp: { username: 'mailer2' } });
    const all = await pb.settings.getAll();
    expect(all.smtp.username).toBe('mailer2');
    expect(all.smtp).not.toHaveProperty('password');
    expect(all.logs.maxDays).toBe(9);
    expect(all.meta.appName).toBe('Satchel');
    expect(app.settings.get().smtp.password).toBe('s3cret');
    expect(JSON.stringify(all)).not.toContain('s3cret');
  });
});

describe('SMTP from the settings', () => {
  it('testEmail really sends through the SMTP server the settings name; a dead server is a 400', async () => {
    const smtp = await fakeSmtp();
    try {
      await expect(pb.settings.testEmail('', 'not-an-address', 'verification')).rejects.toMatchObject({
        status: 400,
        response: { data: { email: expect.anything() } },
      });
      await expect(pb.settings.testEmail('', 'ann@example.com', 'nope')).rejects.toMatchObject({
        status: 400,
        response: { data: { template: expect.anything() } },
      });
      await pb.settings.update({
        smtp: { enabled: true, host: '127.0.0.1', port: smtp.port, username: '', password: '' },
        meta: { senderName: 'Acme', senderAddress: 'support@acme.test' },
      });
      expect(await pb.settings.testEmail('', 'ann@example.com', 'password-reset')).toBe(true);
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.from).toContain('support@acme.test');
      expect(smtp.messages[0]!.to.join()).toContain('ann@example.com');
      expect(smtp.messages[0]!.data).toContain('Reset your password');
    } finally {
      smtp.server.close();
    }
    // The server is gone: the superuser learns it now, not from a user who never got a mail.
    const err = await pb.settings.testEmail('', 'ann@example.com', 'verification').catch((e: unknown) => e);
    expect((err as ClientResponseError).status).toBe(400);
    expect((err as ClientResponseError).message).toMatch(/Failed to send the test email/);
    await pb.settings.update({ smtp: { enabled: false } });
  });
});

describe('S3 from the settings', () => {
  let buckets: TestBuckets;

  beforeAll(async () => {
    buckets = await startBuckets('files', 'backups');
  });

  afterAll(() => buckets.close());

  it('testS3 touches the bucket; uploads then go to it, at once, and are served back', async () => {
    await expect(pb.settings.testS3('storage')).rejects.toMatchObject({
      status: 400,
      message: 'S3 storage filesystem is not enabled.',
    });
    const s3 = { enabled: true, ...buckets.options('files') };
    await pb.settings.update({ s3: { ...s3, bucket: 'missing-bucket' } });
    await expect(pb.settings.testS3('storage')).rejects.toMatchObject({ status: 400 });
    await pb.settings.update({ s3 });
    expect(await pb.settings.testS3('storage')).toBe(true);

    const form = new FormData();
    form.append('attachment', new Blob(['hello from s3']), 'note.txt');
    const record = await pb.collection('docs').create(form);
    const bucket = new S3Storage({ ...s3, endpoint: s3.endpoint });
    const key = `${record.collectionId}/${record.id}/${record.attachment}`;
    expect(await bucket.stat(key)).toMatchObject({ size: 13 });
    const served = await fetch(pb.files.getURL(record, record.attachment));
    expect(await served.text()).toBe('hello from s3');
    await pb.settings.update({ s3: { enabled: false } });
  });

  it('backups.s3 sends the archives to their own bucket; turned off, they are in pb_data/backups again', async () => {
    const s3 = { enabled: true, ...buckets.options('backups') };
    await pb.settings.update({ backups: { s3 } });
    expect(await pb.settings.testS3('backups')).toBe(true);
    await pb.backups.create('to_s3.zip');
    expect((await pb.backups.getFullList()).map((b) => b.key)).toEqual(['to_s3.zip']);
    expect(await new S3Storage(s3).stat('to_s3.zip')).toBeDefined();
    await pb.settings.update({ backups: { s3: { enabled: false } } });
    expect((await pb.backups.getFullList()).map((b) => b.key)).not.toContain('to_s3.zip');
  });
});

describe('scheduled backups from the settings', () => {
  it('backups.cron adds the job (listed by pb.crons), which keeps cronMaxKeep archives; an empty cron removes it', async () => {
    await pb.settings.update({ backups: { cron: '0 3 * * *', cronMaxKeep: 2 } });
    expect(await pb.crons.getFullList()).toContainEqual({ id: '__pbAutoBackup__', expression: '0 3 * * *' });
    for (let i = 0; i < 3; i++) {
      await pb.crons.run('__pbAutoBackup__');
      // Generated names carry the time to the second.
      await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    const auto = (await pb.backups.getFullList()).filter((b) => b.key.startsWith('@auto_pb_backup_'));
    expect(auto).toHaveLength(2);
    await pb.settings.update({ backups: { cron: '' } });
    expect((await pb.crons.getFullList()).map((j) => j.id)).not.toContain('__pbAutoBackup__');
  });
});

describe('Sign in with Apple', () => {
  it('generateAppleClientSecret signs an ES256 JWT with the given key that the public key verifies', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { jwtVerify, decodeProtectedHeader } = await import('jose');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const { secret } = await pb.settings.generateAppleClientSecret(
      'com.example.app',
      'TEAM123456',
      'KEY1234567',
      pem,
      3600,
    );
    expect(decodeProtectedHeader(secret)).toEqual({ alg: 'ES256', kid: 'KEY1234567' });
    const { payload } = await jwtVerify(secret, publicKey, { audience: 'https://appleid.apple.com' });
    expect(payload).toMatchObject({ iss: 'TEAM123456', sub: 'com.example.app' });
    expect(payload.exp! - payload.iat!).toBe(3600);

    const bad = await pb.settings
      .generateAppleClientSecret('', 'short', 'KEY1234567', 'not a key', 0)
      .catch((e: unknown) => e as ClientResponseError);
    expect((bad as ClientResponseError).status).toBe(400);
    expect(Object.keys((bad as ClientResponseError).response.data).sort()).toEqual([
      'clientId',
      'duration',
      'privateKey',
      'teamId',
    ]);
  });
});
