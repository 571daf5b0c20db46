// POST auth-with-oauth2, PocketBase's way: the code is traded for tokens, the provider's user is fetched, and the
// record it signs in is found by an existing link, else the signed-in record, else a verified e-mail; else a new
// record is created through the collection's create rule. Links and changes are written in one transaction.
import { ApiError } from '../../errors.js';
import type { Collection } from '../../collections/model.js';
import type { Store } from '../../db/index.js';
import { randomString } from '../../ids.js';
import {
  EMPTY_REQUEST,
  SUPERUSER,
  type Access,
  type RecordJson,
  type RecordService,
  type RequestInfo,
} from '../../records/index.js';
import { takeAppleName } from './apple-names.js';
import type { AuthUser } from './auth-user.js';
import type { ExternalAuths } from './external-auths.js';
import { ProviderError } from './http.js';
import { oauth2Options } from './options.js';
import { exchangeCode, getWithToken } from './provider.js';
import { nonceOf, readyProvider, type ReadyProvider } from './providers-info.js';
import { readSignInForm, type SignInForm } from './sign-in-form.js';
import { signUpWithOAuth2 } from './sign-up.js';

/** `meta` of the answer: the provider's user as PocketBase shows it, and whether the record is new. */
export type OAuth2Meta = AuthUser & { avatarUrl: string; isNew: boolean };

export interface OAuth2Result {
  record: RecordJson;
  meta: OAuth2Meta;
}

const failed = (what: string, err: unknown): never => {
  if (err instanceof ProviderError) throw ApiError.badRequest(`Failed to fetch OAuth2 ${what}: ${err.message}.`);
  throw err;
};

export class OAuth2SignIn {
  constructor(
    private readonly store: Store,
    private readonly records: RecordService,
    private readonly links: ExternalAuths,
  ) {}

  async signIn(
    collection: Collection,
    body: Record<string, unknown>,
    access: Access,
    request: RequestInfo,
  ): Promise<OAuth2Result> {
    const options = oauth2Options(collection);
    if (!options.enabled) {
      throw ApiError.forbidden('The collection is not configured to allow OAuth2 authentication.');
    }
    const form = readSignInForm(body, options);
    const ready = await readyProvider(form.config).catch((err: unknown) => failed('token', err));
    if (!ready) throw ApiError.badRequest('Missing or invalid provider config.');
    const user = await this.fetchUser(ready, form);

    const link = await this.links.find(collection, ready.config.name, user.id);
    let record = link ? await this.records.storedById(collection, link.recordRef) : undefined;
    if (!record && access.auth?.collectionId === collection.id) {
      // Signed in already: the provider account is linked to the signed-in record.
      record = await this.records.storedById(collection, access.auth.id);
    }
    if (!record && user.email) record = await this.records.storedByField(collection, 'email', user.email);

    const isNew = record === undefined;
    const changes = record && (await this.changesFor(collection, record, user, access));
    const id = await this.store.transaction(async () => {
      const signedIn = record
        ? await this.updateExisting(collection, record, changes!)
        : await signUpWithOAuth2(
            this.records,
            collection,
            options.mappedFields,
            form.createData,
            user,
            access,
            request,
          );
      // A link whose record is gone would hold the provider account's place.
      if (link && link.recordRef !== signedIn) await this.links.remove(link.id);
      // An unverified record's links were just removed (updateExisting): its link is made again.
      const linked = link?.recordRef === signedIn && record?.verified === true;
      if (!linked) await this.links.link(collection, signedIn, ready.config.name, user.id);
      return signedIn;
    });
    const stored = await this.records.storedById(collection, id);
    if (!stored) throw ApiError.badRequest('Failed to authenticate.');
    return { record: stored, meta: { ...user, avatarUrl: user.avatarURL, isNew } };
  }

  private async fetchUser(ready: ReadyProvider, form: SignInForm): Promise<AuthUser> {
    const token = await exchangeCode(ready.definition, ready.config, ready.endpoints, {
      code: form.code,
      redirectURL: form.redirectURL,
      ...(ready.pkce && form.codeVerifier ? { codeVerifier: form.codeVerifier } : {}),
    }).catch((err: unknown) => failed('token', err));
    const nonce = nonceOf(ready, form.codeVerifier);
    const user = await ready.definition
      .fetchUser({
        config: ready.config,
        endpoints: ready.endpoints,
        token,
        ...(nonce ? { nonce } : {}),
        get: (url, onStatus) => getWithToken(token, url, onStatus),
      })
      .catch((err: unknown) => failed('user', err));
    if (!user.id) throw ApiError.badRequest('Failed to fetch OAuth2 user: the provider named no user id.');
    if (ready.config.name === 'apple' && !user.name) user.name = takeAppleName(form.code);
    return user;
  }

  /**
   * PocketBase's defences against an account someone else created beforehand, and the e-mail the provider
   * proves. Computed before the write transaction: a new password's hash takes long, and the lock would wait.
   */
  private async changesFor(
    collection: Collection,
    record: RecordJson,
    user: AuthUser,
    access: Access,
  ): Promise<RecordJson> {
    const signedInAsIt = access.auth?.id === record.id && access.auth?.collectionId === collection.id;
    const changes: RecordJson = {};
    // Whoever set the password of an unverified account may not be its owner: the password goes.
    if (record.verified !== true && !signedInAsIt) {
      changes.password = await this.records.seal(collection, 'password', randomString(30));
      changes.tokenKey = this.records.generate(collection, 'tokenKey');
    }
    const email = typeof record.email === 'string' ? record.email : '';
    if (!email && user.email) changes.email = user.email;
    if (record.verified !== true && (!email || email === user.email)) changes.verified = true;
    return changes;
  }

  /** Writes `changes`; an unverified account also loses its other provider links (at most one stays). */
  private async updateExisting(collection: Collection, record: RecordJson, changes: RecordJson): Promise<string> {
    const id = String(record.id);
    if (record.verified !== true) await this.links.unlinkAll(collection, id);
    if (Object.keys(changes).length) {
      await this.records.change(collection, id, () => changes, {
        access: SUPERUSER,
        request: EMPTY_REQUEST,
        cause: 'oauth2',
        failure: 'Failed to authenticate.',
      });
    }
    return id;
  }
}
