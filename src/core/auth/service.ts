// The auth service: tokens in and out, sign-in, refresh, and the pieces of the auth flows, behind one object.
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import type { Mailer } from '../mail/mailer.js';
import { GUEST, type Access, type AuthIdentity } from '../records/access.js';
import { compile } from '../records/compiled.js';
import type { RecordService } from '../records/service.js';
import { exportRecord, type RecordJson } from '../records/serialize.js';
import type { Params } from '../settings/params.js';
import { accessOf } from './access.js';
import { authMethods, type AuthMethods } from './auth-methods.js';
import { AuthRecords } from './auth-records.js';
import { authRuleAllows } from './auth-rule.js';
import { EmailFlows } from './email-flows.js';
import { Installer } from './installer.js';
import { checkPasswordSignIn } from './password-auth.js';
import { SuperuserService } from './superusers.js';
import { TokenConfig } from './token-config.js';
import { TokenService, unverifiedClaims } from './tokens.js';

/** What every successful sign-in answers: a token and the record as its owner sees it. */
export interface AuthResponse {
  token: string;
  record: RecordJson;
}

export interface AuthServiceOptions {
  db: Database;
  registry: CollectionRegistry;
  records: RecordService;
  params: Params;
  mailer: Mailer;
  /** The public URL that e-mail links point at. */
  appUrl: () => string;
}

export class AuthService {
  readonly tokens: TokenService;
  readonly superusers: SuperuserService;
  readonly installer: Installer;
  readonly emails: EmailFlows;
  private readonly store: AuthRecords;
  private readonly registry: CollectionRegistry;
  private readonly db: Database;

  constructor(options: AuthServiceOptions) {
    this.registry = options.registry;
    this.db = options.db;
    this.store = new AuthRecords(options.db);
    this.tokens = new TokenService(new TokenConfig(options.params), options.registry, this.store);
    this.superusers = new SuperuserService(options.registry, options.records, this.store);
    this.installer = new Installer(this.tokens, this.superusers);
    this.emails = new EmailFlows(this.tokens, this.store, options.mailer, options.appUrl);
  }

  /** The auth collection named or identified by `ref`; 404 for an unknown or non-auth collection. */
  authCollection(ref: string): Collection {
    const collection = this.findAuthCollection(ref);
    if (!collection) throw ApiError.notFound('Missing or invalid auth collection context.');
    return collection;
  }

  /** The auth collection named or identified by `ref`, if there is one. */
  findAuthCollection(ref: string): Collection | undefined {
    const collection = this.registry.find(ref);
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
  ): Promise<AuthResponse> {
    const record = await checkPasswordSignIn(this.store, collection, body);
    return this.respond(collection, record, access);
  }

  /**
   * A new token for the signed-in record. `token` is the one its access was loaded from (already verified);
   * only its `refreshable` claim is read here.
   */
  async refresh(collection: Collection, identity: AuthIdentity, token: string, access: Access): Promise<AuthResponse> {
    if (unverifiedClaims(token)?.refreshable !== true)
      throw ApiError.forbidden('The current auth token is not refreshable.');
    const record = this.store.byId(collection, identity.id);
    if (!record) throw ApiError.unauthorized('The request requires valid record authorization token.');
    return this.respond(collection, record, access);
  }

  methods(collection: Collection): AuthMethods {
    return authMethods(collection);
  }

  /** Signs `record` in: checks the collection's authRule, issues a refreshable token, shows the record to its owner. */
  async respond(collection: Collection, record: RecordJson, access: Access): Promise<AuthResponse> {
    if (!authRuleAllows(this.db, this.registry, collection, String(record.id), access)) {
      throw ApiError.forbidden("The request doesn't satisfy the collection requirements to authenticate.");
    }
    const token = await this.tokens.issue(collection, record, 'auth', { refreshable: true });
    return { token, record: exportRecord(compile(collection), record, accessOf(collection, record)) };
  }

  /** Signs in the record with this id, as stored now (after a create, for instance). */
  async respondById(collection: Collection, id: string, access: Access): Promise<AuthResponse> {
    const record = this.store.byId(collection, id);
    if (!record) throw ApiError.notFound();
    return this.respond(collection, record, access);
  }

  /** The installer's one action: create the first superuser and sign it in. */
  async installFirstSuperuser(token: string, body: Record<string, unknown>): Promise<AuthResponse> {
    const created = await this.installer.createFirstSuperuser(token, body);
    return this.respondById(this.superusers.collection, String(created.id), GUEST);
  }
}
