// One-time passwords (PocketBase's OTP auth): request-otp e-mails a short code and answers an otpId;
// auth-with-otp trades the id and the code for a sign-in. Codes are stored hashed, expire after the collection's
// `otp.duration`, work once, and an unknown address gets an otpId too, so the answer never says who exists.
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Collection } from '../collections/model.js';
import { formatDateTime } from '../datetime.js';
import type { Store } from '../db/index.js';
import { ApiError } from '../errors.js';
import { newRecordId } from '../ids.js';
import type { Mailer } from '../mail/mailer.js';
import { EMPTY_REQUEST, SUPERUSER, type RecordJson, type RecordService } from '../records/index.js';
import { emailProblem, invalidForm, REQUIRED, text, throwIfInvalid } from './form.js';
import type { ErrorData } from '../errors.js';

export interface OtpOptions {
  enabled: boolean;
  /** Seconds a code stays valid. */
  duration: number;
  /** Digits in a code. */
  length: number;
}

/** The collection's `otp`, with PocketBase's defaults (off, 3 minutes, 8 digits). */
export function otpOptions(collection: Collection): OtpOptions {
  const given = (collection.options.otp ?? {}) as Partial<OtpOptions>;
  const number = (value: unknown, fallback: number, min: number, max: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  return {
    enabled: given.enabled === true,
    duration: number(given.duration, 180, 10, 86_400),
    length: number(given.length, 8, 4, 20),
  };
}

const INVALID_OTP = 'Invalid or expired OTP.';

const digest = (otpId: string, code: string) => createHash('sha256').update(`${otpId}:${code}`).digest();

export class OtpFlow {
  constructor(
    private readonly store: Store,
    private readonly records: RecordService,
    private readonly mailer: Mailer,
  ) {}

  /** POST request-otp: `{otpId}` whether or not the address is known; the code goes by mail in the background. */
  async request(collection: Collection, body: Record<string, unknown>): Promise<{ otpId: string }> {
    const options = this.enabledOptions(collection);
    const email = text(body, 'email').trim();
    const problem = emailProblem(email);
    if (problem) throw invalidForm({ email: problem });
    const otpId = newRecordId();
    await this.deleteExpired(collection, options);
    const record = await this.records.storedByField(collection, 'email', email);
    if (!record) return { otpId };
    const code = Array.from({ length: options.length }, () => randomInt(10)).join('');
    await this.store.run(
      'INSERT INTO "_otps" ("id", "collectionRef", "recordRef", "password", "sentTo", "created") VALUES (?, ?, ?, ?, ?, ?)',
      [otpId, collection.id, String(record.id), digest(otpId, code).toString('hex'), email, formatDateTime(new Date())],
    );
    this.mailer
      .send({
        to: email,
        subject: 'Your one-time sign-in code',
        text: `Hello,\n\nYour one-time code is: ${code}\n\nIt works once, within ${Math.round(options.duration / 60) || 1} minutes.\n\nIf you did not ask for it, you can ignore this e-mail.\n`,
      })
      .catch((err: unknown) =>
        console.error(`[satchel] could not send a one-time code to ${email}:`, (err as Error).message),
      );
    return { otpId };
  }

  /** POST auth-with-otp: the record the code was sent for (used up); its e-mail counts as verified from now on. */
  async verify(collection: Collection, body: Record<string, unknown>): Promise<RecordJson> {
    const options = this.enabledOptions(collection);
    const data: ErrorData = {};
    const otpId = text(body, 'otpId');
    const code = text(body, 'password');
    if (!otpId) data.otpId = REQUIRED;
    if (!code) data.password = REQUIRED;
    throwIfInvalid(data);
    const row = await this.store.one<{ recordRef: string; password: string; sentTo: string; created: string }>(
      'SELECT "recordRef", "password", "sentTo", "created" FROM "_otps" WHERE "id" = ? AND "collectionRef" = ?',
      [otpId, collection.id],
    );
    const expected = row ? Buffer.from(row.password, 'hex') : undefined;
    const given = digest(otpId, code);
    const fresh = row !== undefined && Date.parse(row.created.replace(' ', 'T')) + options.duration * 1000 > Date.now();
    if (!row || !fresh || !expected || expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw ApiError.badRequest(INVALID_OTP);
    }
    // Used once: whoever gets here second (a replay, a race) finds it gone.
    const removed = await this.store.run('DELETE FROM "_otps" WHERE "id" = ?', [otpId]);
    if (removed.changes !== 1) throw ApiError.badRequest(INVALID_OTP);
    const record = await this.records.storedById(collection, row.recordRef);
    if (!record) throw ApiError.badRequest(INVALID_OTP);
    if (record.email === row.sentTo && record.verified !== true) {
      // The code reached that address: it is proven, as a verification link would prove it.
      await this.records.change(collection, String(record.id), () => ({ verified: true }), {
        access: SUPERUSER,
        request: EMPTY_REQUEST,
        cause: 'otp',
        failure: 'Failed to authenticate.',
      });
      return (await this.records.storedById(collection, String(record.id))) ?? record;
    }
    return record;
  }

  private enabledOptions(collection: Collection): OtpOptions {
    const options = otpOptions(collection);
    if (!options.enabled) throw ApiError.forbidden('The collection is not configured to allow OTP authentication.');
    return options;
  }

  private async deleteExpired(collection: Collection, options: OtpOptions): Promise<void> {
    const before = formatDateTime(new Date(Date.now() - options.duration * 1000));
    await this.store.run('DELETE FROM "_otps" WHERE "collectionRef" = ? AND "created" < ?', [collection.id, before]);
  }
}
