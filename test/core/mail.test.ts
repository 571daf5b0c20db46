// Outgoing mail: the outbox folder without SMTP, and a real SMTP conversation when a server is configured.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailer } from '../../src/core/mail/mailer.js';
import { memberCollection, signUp } from '../helpers/auth.js';
import { fakeSmtp } from '../helpers/fake-smtp.js';
import { send } from '../helpers/scenario.js';
import { tempApp, tempDirs } from '../helpers/temp-app.js';

describe('without SMTP', () => {
  it('writes each message as an .eml file in the outbox and logs where', async () => {
    const dirs = tempDirs();
    const lines: string[] = [];
    try {
      const mailer = createMailer({ outboxDir: join(dirs.dataDir, 'outbox'), log: (l) => lines.push(l) });
      await mailer.send({ to: 'ann@example.com', subject: 'Hello', text: 'Open http://x.test/_/#/a/b' });
      const files = readdirSync(join(dirs.dataDir, 'outbox'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/\.eml$/);
      const eml = readFileSync(join(dirs.dataDir, 'outbox', files[0]!), 'utf8');
      expect(eml).toContain('To: ann@example.com\r\n');
      expect(eml).toContain('Subject: Hello\r\n');
      expect(eml).toContain('From: Satchel <no-reply@localhost>\r\n');
      expect(eml).toContain('\r\n\r\nOpen http://x.test/_/#/a/b');
      expect(lines).toEqual([expect.stringContaining(join(dirs.dataDir, 'outbox', files[0]!))]);
    } finally {
      dirs.remove();
    }
  });
});

describe('with SMTP', () => {
  let smtp: Awaited<ReturnType<typeof fakeSmtp>>;
  beforeAll(async () => {
    smtp = await fakeSmtp();
  });
  afterAll(() => new Promise<void>((resolve) => smtp.server.close(() => resolve())));

  it('a password reset mail goes to the SMTP server, and nothing to the outbox', async () => {
    const { app, dirs, cleanup } = await tempApp([memberCollection('members')], {
      rateLimit: false,
      appUrl: 'https://app.example.test',
      mail: { smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Team <team@example.test>' },
    });
    try {
      expect(app.engine.mailer.destination).toBe(`SMTP smtp://127.0.0.1:${smtp.port}`);
      await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password' });
      const res = await send(app, {
        method: 'POST',
        url: '/api/collections/members/request-password-reset',
        body: { email: 'ann@example.com' },
      });
      expect(res.status).toBe(204);
      const deadline = Date.now() + 5000;
      while (smtp.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(smtp.messages).toHaveLength(1);
      const [message] = smtp.messages;
      expect(message!.from).toContain('team@example.test');
      expect(message!.to).toEqual([expect.stringContaining('ann@example.com')]);
      expect(message!.data).toContain('Subject: Reset your password');
      // The body may come quoted-printable: undo soft line breaks and `=3D`.
      const body = message!.data.replace(/=\r\n/g, '').replace(/=3D/g, '=');
      expect(body).toContain('https://app.example.test/_/#/auth/confirm-password-reset/');
      expect(() => readdirSync(join(dirs.dataDir, 'outbox'))).toThrow();
    } finally {
      await cleanup();
    }
  });
});
