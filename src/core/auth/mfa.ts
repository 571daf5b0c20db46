// Multi-factor authentication (PocketBase's MFA): with `mfa.enabled`, a sign-in whose record passes `mfa.rule`
// ('' = everyone) first answers 401 with an `mfaId`; a sign-in by another method that sends that mfaId within
// `mfa.duration` seconds completes it. The pending step lives in `_mfas` and is used once.
import type { Collection } from '../collections/model.js';
import { formatDateTime } from '../datetime.js';
import type { Store } from '../db/index.js';
import { ApiError } from '../errors.js';
import { newRecordId } from '../ids.js';
import type { Access, RecordService } from '../records/index.js';

/** How a sign-in proved who it is; MFA needs two different ones. */
export type AuthMethod = 'password' | 'otp' | 'oauth2';

export interface MfaOptions {
  enabled: boolean;
  /** Seconds between the first step and the second. */
  duration: number;
}

export function mfaOptions(collection: Collection): MfaOptions {
  const given = (collection.options.mfa ?? {}) as { enabled?: unknown; duration?: unknown };
  const duration = given.duration;
  return {
    enabled: given.enabled === true,
    duration: typeof duration === 'number' && Number.isInteger(duration) && duration >= 10 ? duration : 1800,
  };
}

/** The first step passed: the client must sign in again with another method and this id. */
export class MfaRequired extends Error {
  constructor(readonly mfaId: string) {
    super('Please complete the MFA flow.');
  }
}

export class MfaFlow {
  constructor(
    private readonly store: Store,
    private readonly records: RecordService,
  ) {}

  /**
   * Lets a sign-in of record `id` by `method` through, or stops it: a first step throws MfaRequired; a second
   * step (`mfaId`) must be fresh, for the same record, by another method.
   */
  async check(collection: Collection, id: string, method: AuthMethod, mfaId: string, access: Access): Promise<void> {
    const options = mfaOptions(collection);
    if (!options.enabled || !(await this.records.passesRule(collection, 'mfaRule', id, access))) return;
    const now = new Date();
    if (!mfaId) {
      const created = newRecordId();
      await this.store.run(
        'INSERT INTO "_mfas" ("id", "collectionRef", "recordRef", "method", "created") VALUES (?, ?, ?, ?, ?)',
        [created, collection.id, id, method, formatDateTime(now)],
      );
      throw new MfaRequired(created);
    }
    const row = await this.store.one<{ collectionRef: string; recordRef: string; method: string; created: string }>(
      'SELECT "collectionRef", "recordRef", "method", "created" FROM "_mfas" WHERE "id" = ?',
      [mfaId],
    );
    const expired = !row || Date.parse(row.created.replace(' ', 'T')) + options.duration * 1000 <= now.getTime();
    if (expired) {
      if (row) await this.store.run('DELETE FROM "_mfas" WHERE "id" = ?', [mfaId]);
      throw ApiError.badRequest('Invalid or expired MFA session.');
    }
    if (row.recordRef !== id || row.collectionRef !== collection.id) throw ApiError.badRequest('Invalid MFA session.');
    if (row.method === method) throw ApiError.badRequest('A different authentication method is required.');
    const removed = await this.store.run('DELETE FROM "_mfas" WHERE "id" = ?', [mfaId]);
    if (removed.changes !== 1) throw ApiError.badRequest('Invalid or expired MFA session.');
  }
}
