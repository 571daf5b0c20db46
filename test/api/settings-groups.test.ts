// The settings' groups in PocketBase's shape through the official SDK: defaults, validation with paths, secrets
// never returned (and kept when a PATCH leaves them out), and the SMTP server and S3 bucket of the settings used
// at once: test e-mails reach a real SMTP conversation, test/s3 and uploads reach a real bucket (s3rver).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PocketBase, { ClientResponseError } from 'pocketbase';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { S3Storage } from '../../src/core/files/s3-storage.js';
import { superuserToken } from '../helpers/auth.js';
import { fakeSmtp } from '../helpers/fake-smtp.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

const docs = { name: 'docs', ...OPEN_RULES, fields: [{ name: 'attachment', type: 'file', maxSelect: 1 }] };

let app: SatchelApp;
let server: RunningServer;
let cleanup: () => Promise<void>;
let pb: PocketBase;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([docs], { rateLimit: false }));
  server = await app.listen({ port: 0 });
  pb = new PocketBase(server.url).autoCancellation(false);
  pb.authStore.save(await superuserToken(app), null);
});

afterAll(async () => {
  await server.close();
  await cleanup();
});

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
  let s3server: S3rver;
  let s3dir: string;
  let port: number;

  beforeAll(async () => {
    s3dir = mkdtempSync(join(tmpdir(), 'satchel-s3rver-'));
    s3server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: s3dir,
      configureBuckets: [{ name: 'files', configs: [] }],
    });
    ({ port } = await s3server.run());
  });

  afterAll(async () => {
    await s3server.close();
    rmSync(s3dir, { recursive: true, force: true });
  });

  it('testS3 touches the bucket; uploads then go to it, at once, and are served back', async () => {
    await expect(pb.settings.testS3('storage')).rejects.toMatchObject({
      status: 400,
      message: 'S3 storage filesystem is not enabled.',
    });
    const s3 = {
      enabled: true,
      bucket: 'files',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKey: 'S3RVER',
      secret: 'S3RVER',
      forcePathStyle: true,
    };
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
});
