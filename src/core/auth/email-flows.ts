// The account e-mail flows: verification, password reset and e-mail change, each a one-time token by mail.
import { ApiError, type ErrorData } from '../errors.js';
import type { Collection } from '../collections/model.js';
import { SUPERUSERS_ID } from '../collections/system-collections.js';
import type { Mailer, MailMessage } from '../mail/mailer.js';
import {
  EMPTY_REQUEST,
  SUPERUSER,
  type AuthIdentity,
  type RecordJson,
  type RecordService,
  type WriteCause,
} from '../records/index.js';
import { actionLink, emailChangeEmail, passwordResetEmail, verificationEmail } from './emails.js';
import {
  emailProblem,
  INVALID_TOKEN,
  invalidForm,
  REQUIRED,
  secret,
  text,
  throwIfInvalid,
  TOKEN_COLLECTION_MISMATCH,
} from './form.js';
import { passwordAuthOptions } from './password-auth.js';
import { unverifiedClaims, type TokenService, type VerifiedToken } from './tokens.js';

type OneTimeType = 'verification' | 'passwordReset' | 'emailChange';

/**
 * Each token is single-use because it is bound to a value its confirmation changes: a verification
 * token to `verified = false`, a reset token to the tokenKey (a new password replaces it), an e-mail
 * change token to the old address. The confirming write checks that value on the record as it is at the
 * moment of the write, inside the write transaction, and goes through the record pipeline like any write.
 */
export class EmailFlows {
  constructor(
    private readonly tokens: TokenService,
    private readonly records: RecordService,
    private readonly mailer: Mailer,
    private readonly appUrl: () => string,
  ) {}

  /** Applies `changes` when every `guard` field still holds its value; false when it no longer does. */
  private async changeIf(
    collection: Collection,
    id: string,
    changes: RecordJson,
    guard: RecordJson,
    cause: WriteCause,
    failure: string,
  ): Promise<boolean> {
    const holds = (current: RecordJson) => Object.entries(guard).every(([key, value]) => current[key] === value);
    const written = await this.records.change(collection, id, (current) => (holds(current) ? changes : undefined), {
      access: SUPERUSER,
      request: EMPTY_REQUEST,
      cause,
      failure,
    });
    return written !== undefined;
  }

  /** 204 whether or not the address is known, and at once: the mail is sent in the background. */
  async requestVerification(collection: Collection, body: Record<string, unknown>): Promise<void> {
    if (collection.id === SUPERUSERS_ID) throw ApiError.badRequest('All superusers are verified by default.');
    const email = this.requestedEmail(body, 'email');
    const record = await this.records.storedByField(collection, 'email', email);
    if (!record || record.verified) return;
    const token = await this.tokens.issue(collection, record, 'verification', { email: String(record.email) });
    this.sendLater(verificationEmail(String(record.email), actionLink(this.appUrl(), 'confirm-verification', token)));
  }

  async confirmVerification(collection: Collection, body: Record<string, unknown>): Promise<void> {
    if (collection.id === SUPERUSERS_ID) throw ApiError.badRequest('All superusers are verified by default.');
    const found = await this.checkToken(collection, text(body, 'token'), 'verification', {});
    const email = found.claims.email;
    // Already verified with that address (a second click on the link): nothing to do, as PocketBase answers.
    if (found.record.verified === true && found.record.email === email) return;
    const done =
      typeof email === 'string' &&
      (await this.changeIf(
        collection,
        String(found.record.id),
        { verified: true },
        { verified: false, email },
        'verification',
        CONFIRM_FAILED,
      ));
    if (!done) throw invalidForm({ token: INVALID_TOKEN });
  }

  /** 204 whether or not the address is known; the mail goes in the background. */
  async requestPasswordReset(collection: Collection, body: Record<string, unknown>): Promise<void> {
    if (!passwordAuthOptions(collection).enabled) {
      throw ApiError.badRequest('The collection is not configured to allow password authentication.');
    }
    const email = this.requestedEmail(body, 'email');
    const record = await this.records.storedByField(collection, 'email', email);
    if (!record) return;
    const token = await this.tokens.issue(collection, record, 'passwordReset', { email: String(record.email) });
    this.sendLater(
      passwordResetEmail(String(record.email), actionLink(this.appUrl(), 'confirm-password-reset', token)),
    );
  }

  /** Sets the new password; the new tokenKey signs the record out everywhere and spends the reset token. */
  async confirmPasswordReset(collection: Collection, body: Record<string, unknown>): Promise<void> {
    const data: ErrorData = {};
    const password = secret(body, 'password', data);
    const confirm = secret(body, 'passwordConfirm', data);
    // The form first, as PocketBase checks it: a length between the field's minimum and 255, then the field's
    // own constraints (at most 71 characters, its pattern) once the form passes.
    const min = Math.max(1, Number(collection.fields.find((f) => f.name === 'password')?.min ?? 0) || 1);
    const length = [...password].length;
    if (password === '') data.password ??= REQUIRED;
    else if (length < min || length > 255) {
      data.password ??= {
        code: 'validation_length_out_of_range',
        message: `The length must be between ${min} and 255.`,
      };
    }
    if (confirm === '') data.passwordConfirm ??= REQUIRED;
    else if (confirm !== password)
      data.passwordConfirm = { code: 'validation_values_mismatch', message: "Values don't match." };
    const found = await this.checkToken(collection, text(body, 'token'), 'passwordReset', data);
    const problem = this.records.sealedProblem(collection, 'password', password);
    if (problem) throw ApiError.badRequest('Failed to set new password.', { password: problem });
    const { record, claims } = found;
    const changes: RecordJson = {
      password: await this.records.seal(collection, 'password', password),
      tokenKey: this.records.generate(collection, 'tokenKey'),
    };
    // The mail reached the address on file, which proves it, as PocketBase reasons.
    if (!record.verified && claims.email === record.email) changes.verified = true;
    const done = await this.changeIf(
      collection,
      String(record.id),
      changes,
      { tokenKey: record.tokenKey },
      'passwordReset',
      'Failed to set new password.',
    );
    if (!done) throw invalidForm({ token: INVALID_TOKEN });
  }

  /** Mails a confirmation link to the new address; the caller is the signed-in record. */
  async requestEmailChange(collection: Collection, auth: AuthIdentity, body: Record<string, unknown>): Promise<void> {
    if (collection.id === SUPERUSERS_ID) throw ApiError.badRequest('All superusers can change their emails directly.');
    const newEmail = this.requestedEmail(body, 'newEmail');
    const record = await this.records.storedById(collection, auth.id);
    if (!record) throw ApiError.unauthorized('The request requires valid auth record.');
    const taken = await this.records.storedByField(collection, 'email', newEmail);
    if (taken || newEmail.toLowerCase() === String(record.email).toLowerCase()) {
      throw invalidForm({ newEmail: { code: 'validation_invalid_new_email', message: 'Invalid new email address.' } });
    }
    const token = await this.tokens.issue(collection, record, 'emailChange', { email: String(record.email), newEmail });
    await this.mailer.send(emailChangeEmail(newEmail, actionLink(this.appUrl(), 'confirm-email-change', token)));
  }

  /** Moves the record to the new address (now verified) once the account password is given. */
  async confirmEmailChange(collection: Collection, body: Record<string, unknown>): Promise<void> {
    if (collection.id === SUPERUSERS_ID) throw ApiError.badRequest('All superusers can change their emails directly.');
    const data: ErrorData = {};
    const password = secret(body, 'password', data);
    if (password === '') data.password ??= REQUIRED;
    // A token that names no new address is refused for its payload before its signature is checked (PocketBase).
    const token = text(body, 'token');
    const newEmail = token === '' ? '' : unverifiedClaims(token)?.newEmail;
    if (token !== '' && (typeof newEmail !== 'string' || newEmail === '')) {
      data.token = {
        code: 'validation_invalid_token_payload',
        message: 'Invalid token payload - newEmail must be set.',
      };
    }
    const found = await this.checkToken(collection, token, 'emailChange', data);
    const { record, claims } = found;
    if (typeof claims.newEmail !== 'string' || claims.email !== record.email)
      throw invalidForm({ token: INVALID_TOKEN });
    if (await this.records.storedByField(collection, 'email', claims.newEmail)) {
      throw invalidForm({
        token: { code: 'validation_invalid_token_email', message: 'The new email address is invalid.' },
      });
    }
    if (!(await this.records.matchesSealed(collection, 'password', record.password, password))) {
      throw invalidForm({
        password: { code: 'validation_invalid_password', message: 'Missing or invalid auth record password.' },
      });
    }
    const done = await this.changeIf(
      collection,
      String(record.id),
      { email: claims.newEmail, verified: true },
      { email: claims.email },
      'emailChange',
      'Failed to confirm email change.',
    );
    if (!done) throw invalidForm({ token: INVALID_TOKEN });
  }

  /** The address a request names; a blank or malformed one is a 400, as PocketBase does. */
  private requestedEmail(body: Record<string, unknown>, key: string): string {
    const email = text(body, key).trim();
    const problem = emailProblem(email);
    if (problem) throw invalidForm({ [key]: problem });
    return email;
  }

  /** The token's record, or a 400 naming the token next to the body's other problems. */
  private async checkToken(
    collection: Collection,
    token: string,
    type: OneTimeType,
    data: ErrorData,
  ): Promise<VerifiedToken> {
    const found = token === '' || data.token ? undefined : await this.tokens.verify(token, type);
    if (token === '') data.token = REQUIRED;
    else if (data.token) throwIfInvalid(data);
    else if (!found) data.token = INVALID_TOKEN;
    else if (found.collection.id !== collection.id) data.token = TOKEN_COLLECTION_MISMATCH;
    throwIfInvalid(data);
    return found!;
  }

  private sendLater(message: MailMessage): void {
    this.mailer.send(message).catch((err: unknown) => {
      console.error(`[satchel] could not send "${message.subject}" to ${message.to}: ${(err as Error).message}`);
    });
  }
}

const CONFIRM_FAILED = 'An error occurred while submitting the form.';
