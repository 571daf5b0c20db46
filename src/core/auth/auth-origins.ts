// Where each auth record signs in from (PocketBase's `_authOrigins`): a fingerprint of the client's IP and user
// agent per record. A sign-in from a fingerprint the record has not used before mails an alert to its owner when
// the collection's `authAlert.enabled` (on by default), except for the record's very first origin, as PocketBase
// does; at most five origins are kept per record, the oldest go first. Deleted with their record, and forgotten
// when its password changes (see keyStamp).
import { createHash } from 'node:crypto';
import type { Collection } from '../collections/model.js';
import { formatDateTime } from '../datetime.js';
import type { Store } from '../db/index.js';
import { newRecordId } from '../ids.js';
import type { Mailer } from '../mail/mailer.js';
import { ApiError } from '../errors.js';
import { pageParams, type Access, type ListParams, type RecordJson } from '../records/index.js';
import { authAlertEmail } from './emails.js';

/** Who is signing in, as the HTTP layer sees it. */
export interface SignInClient {
  ip: string;
  userAgent: string;
}

export interface AuthAlertOptions {
  enabled: boolean;
  /** A custom mail: `{APP_NAME}`, `{APP_URL}` and `{ALERT_INFO}` in either are replaced. */
  emailTemplate: { subject: string; body: string };
}

/** The collection's `authAlert`, with PocketBase's default (enabled, its own mail). */
export function authAlertOptions(collection: Collection): AuthAlertOptions {
  const given = (collection.options.authAlert ?? {}) as { enabled?: unknown; emailTemplate?: unknown };
  const template = (given.emailTemplate ?? {}) as { subject?: unknown; body?: unknown };
  return {
    enabled: given.enabled !== false,
    emailTemplate: {
      subject: typeof template.subject === 'string' ? template.subject : '',
      body: typeof template.body === 'string' ? template.body : '',
    },
  };
}

/** PocketBase keeps this many origins per record. */
export const MAX_AUTH_ORIGINS = 5;

/** A user agent longer than this is cut, as PocketBase cuts it before hashing. */
const MAX_USER_AGENT = 200;

/**
 * md5 of the IP and the (cut) user agent, hex: the same value PocketBase stores, so the origins of an imported
 * PocketBase database keep matching and their owners get no alert for devices they already used.
 */
export function originFingerprint(client: SignInClient): string {
  const agent =
    client.userAgent.length > MAX_USER_AGENT ? `${client.userAgent.slice(0, MAX_USER_AGENT)}...` : client.userAgent;
  return createHash('md5')
    .update(client.ip + agent)
    .digest('hex');
}

/** PocketBase's collection name and id (`pbc_` + crc32 of "base_authOrigins"), as its records carry them. */
export const AUTH_ORIGINS = { name: '_authOrigins', id: 'pbc_4275539003' } as const;

const COLUMNS = '"id", "collectionRef", "recordRef", "fingerprint", "created", "updated"';

/** PocketBase's owner rule as SQL: a signed-in record sees its own origins; a superuser sees all; a guest none. */
function ownerScope(access: Access): { where: string; params: string[] } | undefined {
  if (access.superuser) return { where: '1 = 1', params: [] };
  if (!access.auth) return undefined;
  return { where: '"recordRef" = ? AND "collectionRef" = ?', params: [access.auth.id, access.auth.collectionId] };
}

const asRecord = (row: Record<string, unknown>): RecordJson => ({
  collectionId: AUTH_ORIGINS.id,
  collectionName: AUTH_ORIGINS.name,
  ...row,
});

/**
 * A digest of the record's tokenKey, kept with each origin. PocketBase drops a record's origins when its password
 * changes; here a new password always comes with a new tokenKey, so origins stamped with another key are dropped at
 * the next sign-in: that one counts as the first again. A hash upgrade (bcrypt to argon2id) keeps the key, and them.
 */
export const keyStamp = (record: { tokenKey?: unknown }) =>
  createHash('sha256')
    .update(String(record.tokenKey ?? ''))
    .digest('hex')
    .slice(0, 16);

export interface AuthOriginsDeps {
  store: Store;
  mailer: Mailer;
  appUrl: () => string;
  appName: () => string;
}

export class AuthOrigins {
  constructor(private readonly deps: AuthOriginsDeps) {}

  /**
   * Remembers that `record` signed in from `client` (a known origin gets a new `updated`); mails the alert for a
   * new origin of a record that had others. Mail goes in the background: a slow SMTP server never holds a sign-in.
   */
  async remember(collection: Collection, record: RecordJson, client: SignInClient): Promise<void> {
    const options = authAlertOptions(collection);
    if (!options.enabled) return;
    const { store } = this.deps;
    const id = String(record.id);
    const fingerprint = originFingerprint(client);
    const now = new Date();
    const stamp = keyStamp(record);
    const all = await store.all<{ id: string; fingerprint: string; keyStamp: string }>(
      'SELECT "id", "fingerprint", "keyStamp" FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" = ? ORDER BY "created" DESC, "id" DESC',
      [collection.id, id],
    );
    // Origins from before the last password change are forgotten.
    const origins = all.filter((o) => o.keyStamp === stamp);
    for (const stale of all.filter((o) => o.keyStamp !== stamp)) {
      await store.run('DELETE FROM "_authOrigins" WHERE "id" = ?', [stale.id]);
    }
    const known = origins.find((o) => o.fingerprint === fingerprint);
    if (known) {
      await store.run('UPDATE "_authOrigins" SET "updated" = ? WHERE "id" = ?', [formatDateTime(now), known.id]);
      return;
    }
    const email = typeof record.email === 'string' ? record.email : '';
    if (origins.length > 0 && email) this.alert(options, email, now, client);
    // Room for the new one: the oldest go.
    for (const old of origins.slice(MAX_AUTH_ORIGINS - 1)) {
      await store.run('DELETE FROM "_authOrigins" WHERE "id" = ?', [old.id]);
    }
    const at = formatDateTime(now);
    // Two sign-ins from one new device at once: the second finds the pair taken and leaves it.
    await store.run(
      'INSERT INTO "_authOrigins" ("id", "collectionRef", "recordRef", "fingerprint", "keyStamp", "created", "updated") VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      [newRecordId(), collection.id, id, fingerprint, stamp, at, at],
    );
  }

  /** Forgets every origin of a record (it is being deleted). */
  async forget(collectionId: string, recordId: string): Promise<void> {
    await this.deps.store.run('DELETE FROM "_authOrigins" WHERE "collectionRef" = ? AND "recordRef" = ?', [
      collectionId,
      recordId,
    ]);
  }

  /**
   * GET /api/collections/_authOrigins/records: the caller's origins, newest first, as a records page. Only paging
   * is offered (no filter or sort): the list is short (five per record) and the owner's only.
   */
  async list(access: Access, params: ListParams): Promise<Record<string, unknown>> {
    if (params.filter || (params.sort && !['-created', 'created'].includes(params.sort))) {
      throw ApiError.badRequest('Only paging and the sort created/-created are supported on _authOrigins.');
    }
    const { page, perPage, skipTotal } = pageParams(params);
    const scope = ownerScope(access);
    if (!scope) return { page, perPage, totalItems: skipTotal ? -1 : 0, totalPages: skipTotal ? -1 : 0, items: [] };
    const order = params.sort === 'created' ? 'ASC' : 'DESC';
    const rows = await this.deps.store.all<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM "_authOrigins" WHERE ${scope.where} ORDER BY "created" ${order}, "id" ${order} LIMIT ? OFFSET ?`,
      [...scope.params, perPage, (page - 1) * perPage],
    );
    const items = rows.map(asRecord);
    if (skipTotal) return { page, perPage, totalItems: -1, totalPages: -1, items };
    const count = await this.deps.store.one<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "_authOrigins" WHERE ${scope.where}`,
      scope.params,
    );
    const total = count?.n ?? 0;
    return { page, perPage, totalItems: total, totalPages: Math.ceil(total / perPage), items };
  }

  /** GET .../records/{id}: one of the caller's origins; anyone else's is a 404, like a missing one. */
  async view(access: Access, id: string): Promise<RecordJson> {
    const scope = ownerScope(access);
    const row =
      scope &&
      (await this.deps.store.one<Record<string, unknown>>(
        `SELECT ${COLUMNS} FROM "_authOrigins" WHERE "id" = ? AND ${scope.where}`,
        [id, ...scope.params],
      ));
    if (!row) throw ApiError.notFound();
    return asRecord(row);
  }

  /** DELETE .../records/{id}: the owner forgets a device (its next sign-in alerts again). */
  async delete(access: Access, id: string): Promise<void> {
    const scope = ownerScope(access);
    const removed =
      scope &&
      (await this.deps.store.run(`DELETE FROM "_authOrigins" WHERE "id" = ? AND ${scope.where}`, [
        id,
        ...scope.params,
      ]));
    if (!removed?.changes) throw ApiError.notFound();
  }

  private alert(options: AuthAlertOptions, to: string, when: Date, client: SignInClient): void {
    // PocketBase's alert line: when, then from where and with what.
    const info = `${formatDateTime(when)} - ${client.ip} ${client.userAgent}`;
    const message = authAlertEmail(to, info, {
      ...options.emailTemplate,
      appName: this.deps.appName(),
      appUrl: this.deps.appUrl(),
    });
    this.deps.mailer
      .send(message)
      .catch((err: unknown) =>
        console.error(`[satchel] could not send a new sign-in alert to ${to}:`, (err as Error).message),
      );
  }
}
