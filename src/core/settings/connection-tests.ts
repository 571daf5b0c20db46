// POST /api/settings/test/email and /test/s3: really send a mail and really touch the bucket, so a superuser
// learns that a configuration works before a user needs it.
import {
  actionLink,
  emailChangeEmail,
  passwordResetEmail,
  verificationEmail,
  type EmailAction,
} from '../auth/emails.js';
import { emailProblem, invalidForm, throwIfInvalid } from '../auth/form.js';
import { ApiError, type ErrorData } from '../errors.js';
import { s3OptionsFrom } from '../files/settings-storage.js';
import { S3Storage } from '../files/s3-storage.js';
import type { Mailer, MailMessage } from '../mail/mailer.js';
import type { Settings } from './schema.js';

const TEMPLATES: Record<string, { action: EmailAction; message: (to: string, link: string) => MailMessage }> = {
  verification: { action: 'confirm-verification', message: verificationEmail },
  'password-reset': { action: 'confirm-password-reset', message: passwordResetEmail },
  'email-change': { action: 'confirm-email-change', message: emailChangeEmail },
};

/** Sends one of the account e-mails to `body.email`, with a link that goes nowhere; 400 when sending fails. */
export async function sendTestEmail(mailer: Mailer, appUrl: string, body: Record<string, unknown>): Promise<void> {
  const data: ErrorData = {};
  const email = typeof body.email === 'string' ? body.email.trim() : '';
  const problem = emailProblem(email);
  if (problem) data.email = problem;
  const template = TEMPLATES[String(body.template ?? '')];
  if (!template) {
    data.template = {
      code: 'validation_in_invalid',
      message: `Must be one of: ${Object.keys(TEMPLATES).join(', ')}.`,
    };
  }
  throwIfInvalid(data);
  const message = template!.message(email, actionLink(appUrl, template!.action, 'TEST_TOKEN'));
  try {
    await mailer.send({ ...message, subject: `[Test] ${message.subject}` });
  } catch (err) {
    throw ApiError.badRequest(`Failed to send the test email. Raw error: ${(err as Error).message}`);
  }
}

/** Writes, reads back and deletes a small object in the bucket of `s3` (files) or `backups.s3`. */
export async function testS3(settings: Settings, body: Record<string, unknown>): Promise<void> {
  const filesystem = body.filesystem ?? 'storage';
  if (filesystem !== 'storage' && filesystem !== 'backups') {
    throw invalidForm({ filesystem: { code: 'validation_in_invalid', message: 'Must be "storage" or "backups".' } });
  }
  const s3 = filesystem === 'storage' ? settings.s3 : settings.backups.s3;
  if (!s3.enabled) throw ApiError.badRequest('S3 storage filesystem is not enabled.');
  const storage = new S3Storage(s3OptionsFrom(s3));
  const key = `pb_settings_test_${Date.now()}.txt`;
  try {
    await storage.write(key, Buffer.from('test'));
    if (!(await storage.stat(key))) throw new Error('the test file was written but cannot be found');
    await storage.delete(key);
  } catch (err) {
    throw ApiError.badRequest(`Failed to upload a test file. Raw error: ${(err as Error).message}`);
  }
}
