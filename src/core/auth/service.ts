// The auth service: tokens in and out, sign-in, refresh, the e-mail flows, superusers and the first-run installer.
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { Mailer } from '../mail/mailer.js';
import {
  accessOf,
  GUEST,
  type Access,
  type AuthIdentity,
  type RecordJson,
  type RecordService,
  type RequestInfo,
} from '../records/index.js';
import type { Params } from '../settings/params.js';
import { authMethods, type AuthMethods } from './auth-methods.js';
import { AuthOrigins, type SignInClient } from './auth-origins.js';
import { authRuleAllows } from './auth-rule.js';
import { EmailFlows } from './email-flows.js';
import { MfaFlow, type AuthMethod } from './mfa.js';
import { OtpFlow } from './otp.js';
import { ExternalAuths } from './oauth2/external-auths.js';
import { OAuth2SignIn, type OAuth2Meta } from './oauth2/sign-in.js';
import type { Store } from '../db/index.js';
import { Installer } from './installer.js';
import { checkPasswordSignIn } from './password-auth.js';
import { SuperuserService } from './superusers.js';
import { TokenConfig, type TokenType } from './token-config.js';
import { TokenService, unverifiedClaims, type TokenClaims } from './tokens.js';

/** What every successful sign-in answers: a token and the record as its owner sees it. */
export interface AuthResponse {
  token: string;
  record: RecordJson;
}

/** The `mfaId` of a second sign-in step (the body, or the query the SDK puts it in). */
const mfaIdOf = (body: Record<string, unknown>) => (typeof body.mfaId === 'string' ? body.mfaId : '');

export interface AuthServiceOptions {
  /** Where one-time codes are kept (`_otps`). */
  store: Store;
  records: RecordService;
  params: Params;
  mailer: Mailer;
  /** The public URL that e-mail links point at. */
  appUrl: () => string;
  /** The application's name, for mails that say it (the settings' meta.appName). */
  appName?: () => string;
}

export class AuthService {
  private readonly records: RecordService;
  private readonly tokens: TokenService;
  private readonly superusers: SuperuserService;
  private readonly installer: Installer;
  private readonly emails: EmailFlows;
  private readonly otp: OtpFlow;
  private readonly mfa: MfaFlow;
  private readonly oauth2: OAuth2SignIn;
  /** The sign-in origins (`_authOrigins`) and their alerts; the owner lists and deletes them. */
  readonly origins: AuthOrigins;

  constructor(options: AuthServiceOptions) {
    this.records = options.records;
    this.tokens = new TokenService(new TokenConfig(options.params), options.records);
    this.superusers = new SuperuserService(options.records);
    this.installer = new Installer(this.tokens, this.superusers);
    this.emails = new EmailFlows(this.tokens, options.records, options.mailer, options.appUrl);
    this.otp = new OtpFlow(options.store, options.records, options.mailer);
    this.mfa = new MfaFlow(options.store, options.records);
    const { store, mailer, appUrl } = options;
    this.origins = new AuthOrigins({ store, mailer, appUrl, appName: options.appName ?? (() => 'Satchel') });
    // A record's sign-in origins, pending codes and MFA steps go with it, in the transaction that deletes it.
    options.records.writer.listen({
      beforeDelete: async (change) => {
        if (change.collection.type !== 'auth') return;
        const [collectionId, recordId] = [change.collection.id, String(change.record.id)];
        await this.origins.forget(collectionId, recordId);
        for (const table of ['_otps', '_mfas']) {
          await store.run(`DELETE FROM "${table}" WHERE "collectionRef" = ? AND "recordRef" = ?`, [
            collectionId,
            recordId,
          ]);
        }
      },
      committed: () => undefined,
    });
    this.oauth2 = new OAuth2SignIn(options.store, options.records, new ExternalAuths(options.store, options.records));
  }

  /**
   * POST auth-with-oauth2: signs in (linking or creating) the record of the provider's user; `meta` tells what
   * the provider said, as PocketBase answers it.
   */
  async authWithOAuth2(
    collection: Collection,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo,
    client?: SignInClient,
  ): Promise<AuthResponse & { meta: OAuth2Meta }> {
    const { record, meta } = await this.oauth2.signIn(collection, body, access, request);
    return { ...(await this.completeSignIn(collection, record, 'oauth2', body, access, client)), meta };
  }

  /** POST request-otp: e-mails a one-time code, answers `{otpId}` (for unknown addresses too). */
  requestOtp(collection: Collection, body: Record<string, unknown>): Promise<{ otpId: string }> {
    return this.otp.request(collection, body);
  }

  /** POST auth-with-otp: signs in the record the code was sent to. */
  async authWithOtp(
    collection: Collection,
    body: Record<string, unknown>,
    access: Access,
    client?: SignInClient,
  ): Promise<AuthResponse> {
    const record = await this.otp.verify(collection, body);
    return this.completeSignIn(collection, record, 'otp', body, access, client);
  }

  /**
   * The end of every sign-in method once its own proof passed: the MFA step (a first factor answers 401 with an
   * mfaId), the authRule and the token, then the client's origin is remembered (a new device may mail an alert).
   */
  async completeSignIn(
    collection: Collection,
    record: RecordJson,
    method: AuthMethod,
    body: Record<string, unknown>,
    access: Access,
    client?: SignInClient,
  ): Promise<AuthResponse> {
    await this.mfa.check(collection, String(record.id), method, mfaIdOf(body), access);
    const response = await this.respond(collection, record, access);
    if (client) {
      // As PocketBase: the sign-in stands even when its origin could not be kept.
      await this.origins.remember(collection, record, client).catch((err: unknown) => {
        console.error(
          `[satchel] could not remember the sign-in origin of ${collection.name}/${String(record.id)}:`,
          err,
        );
      });
    }
    return response;
  }

  /** The auth collection named or identified by `ref`; 404 for an unknown or non-auth collection. */
  authCollection(ref: string): Collection {
    const collection = this.findAuthCollection(ref);
    if (!collection) throw ApiError.notFound('Missing or invalid auth collection context.');
    return collection;
  }

  /** The auth collection named or identified by `ref`, if there is one. */
  findAuthCollection(ref: string): Collection | undefined {
    const collection = this.records.catalog.find(ref);
    return collection?.type === 'auth' ? collection : undefined;
  }

  /** Who an `auth` token speaks for; any token that fails verification is a guest, not an error. */
  async authenticate(token: string): Promise<Access> {
    const found = await this.tokens.verify(token, 'auth');
    return found ? accessOf(found.collection, found.record) : GUEST;
  }

  async signInWithPassword(
    collection: Collection,
    body: Record<string, unknown>,
    access: Access,
    client?: SignInClient,
  ): Promise<AuthResponse> {
    const record = await checkPasswordSignIn(this.records, collection, body);
    return this.completeSignIn(collection, record, 'password', body, access, client);
  }

  /**
   * A new token for the signed-in record. `token` is the one its access was loaded from (already verified);
   * only its `refreshable` claim is read here. A token that may not be refreshed (an impersonation's) comes back
   * as it is, with the record, as PocketBase answers it.
   */
  async refresh(collection: Collection, identity: AuthIdentity, token: string, access: Access): Promise<AuthResponse> {
    const record = await this.records.storedById(collection, identity.id);
    if (!record) throw ApiError.unauthorized('The request requires valid record authorization token.');
    const refreshable = unverifiedClaims(token)?.refreshable === true;
    return this.respond(collection, record, access, refreshable ? undefined : token);
  }

  methods(collection: Collection): Promise<AuthMethods> {
    return authMethods(collection);
  }

  /**
   * Signs `record` in: checks the collection's authRule, issues a refreshable token (or answers with `kept`),
   * shows the record to its owner.
   */
  async respond(collection: Collection, record: RecordJson, access: Access, kept?: string): Promise<AuthResponse> {
    if (!(await authRuleAllows(this.records, collection, String(record.id), access))) {
      throw ApiError.forbidden("The request doesn't satisfy the collection requirements to authenticate.");
    }
    const token = kept ?? (await this.tokens.issue(collection, record, 'auth', { refreshable: true }));
    return { token, record: this.records.export(collection, record, accessOf(collection, record)) };
  }

  /**
   * The response with its record's relations expanded as the request's `expand` asks, seen as the signed-in
   * record sees them (PocketBase expands every auth response so).
   */
  async withExpand<R extends AuthResponse>(collection: Collection, response: R, request: RequestInfo): Promise<R> {
    if (!request.query.expand) return response;
    const id = String(response.record.id);
    const record = await this.records.storedById(collection, id);
    if (!record) return response;
    const expanded = await this.records.exportExpanded(collection, record, accessOf(collection, record), request);
    return { ...response, record: { ...response.record, ...(expanded.expand ? { expand: expanded.expand } : {}) } };
  }

  /** Signs in the record with this id, as stored now (after a create, for instance). */
  async respondById(collection: Collection, id: string, access: Access): Promise<AuthResponse> {
    const record = await this.records.storedById(collection, id);
    if (!record) throw ApiError.notFound();
    return this.respond(collection, record, access);
  }

  /**
   * A short-lived token for reading protected files as the signed-in record (POST /api/files/token): it carries
   * the caller's identity, so a file's view rule is checked as that caller.
   */
  async fileToken(access: Access): Promise<string> {
    if (!access.auth) throw ApiError.unauthorized('The request requires valid record authorization token.');
    const collection = this.authCollection(access.auth.collectionId);
    const record = await this.records.storedById(collection, access.auth.id);
    if (!record) throw ApiError.unauthorized('The request requires valid record authorization token.');
    return this.tokens.issue(collection, record, 'file');
  }

  /** Who a file token speaks for; a token that fails verification is a guest. */
  async authenticateFileToken(token: string): Promise<Access> {
    const found = await this.tokens.verify(token, 'file');
    return found ? accessOf(found.collection, found.record) : GUEST;
  }

  /**
   * POST /api/collections/{c}/impersonate/{id}: a superuser acts as a record, with a token that cannot be
   * refreshed and lasts `duration` seconds (0: the collection's auth token duration), as PocketBase issues it.
   */
  async impersonate(collection: Collection, id: string, body: Record<string, unknown>, access: Access) {
    if (!access.superuser) throw ApiError.forbidden('Only superusers can impersonate.');
    const duration = body.duration ?? 0;
    if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 0 || duration > 10 * 365 * 86_400) {
      throw ApiError.badRequest('An error occurred while validating the submitted data.', {
        duration: { code: 'validation_invalid_value', message: 'Must be a whole number of seconds, 0 or more.' },
      });
    }
    const record = await this.records.storedById(collection, id);
    if (!record) throw ApiError.notFound();
    const token = await this.tokens.issue(collection, record, 'auth', {}, duration);
    return { token, record: this.records.export(collection, record, access) };
  }

  /** A token of `type` for a stored record (tests and tools; sign-in goes through respond). */
  issueToken(
    collection: Collection,
    record: RecordJson,
    type: Exclude<TokenType, 'install'>,
    extra: Pick<TokenClaims, 'refreshable' | 'email' | 'newEmail'> = {},
  ): Promise<string> {
    return this.tokens.issue(collection, record, type, extra);
  }

  // --- The e-mail flows (verification, password reset, e-mail change). ---

  requestVerification(collection: Collection, body: Record<string, unknown>): Promise<void> {
    return this.emails.requestVerification(collection, body);
  }

  confirmVerification(collection: Collection, body: Record<string, unknown>): Promise<void> {
    return this.emails.confirmVerification(collection, body);
  }

  requestPasswordReset(collection: Collection, body: Record<string, unknown>): Promise<void> {
    return this.emails.requestPasswordReset(collection, body);
  }

  confirmPasswordReset(collection: Collection, body: Record<string, unknown>): Promise<void> {
    return this.emails.confirmPasswordReset(collection, body);
  }

  requestEmailChange(collection: Collection, auth: AuthIdentity, body: Record<string, unknown>): Promise<void> {
    return this.emails.requestEmailChange(collection, auth, body);
  }

  confirmEmailChange(collection: Collection, body: Record<string, unknown>): Promise<void> {
    return this.emails.confirmEmailChange(collection, body);
  }

  // --- Superusers and the first-run installer. ---

  /** Creates the superuser, or sets its password when the e-mail is taken. */
  upsertSuperuser(email: string, password: string): Promise<{ created: boolean; record: RecordJson }> {
    return this.superusers.upsert(email, password);
  }

  deleteSuperuser(email: string): Promise<void> {
    return this.superusers.delete(email);
  }

  /** The one-time link that creates the first superuser, or undefined when there is one. */
  installerLink(appUrl: string): Promise<string | undefined> {
    return this.installer.link(appUrl);
  }

  /** The installer's one action: create the first superuser and sign it in. */
  async installFirstSuperuser(token: string, body: Record<string, unknown>): Promise<AuthResponse> {
    const created = await this.installer.createFirstSuperuser(token, body);
    return this.respondById(this.superusers.collection, String(created.id), GUEST);
  }
}
