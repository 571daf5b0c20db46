// The collection's authRule: whether a record may be signed in at all.
import type { Collection } from '../collections/model.js';
import type { Access, RecordService } from '../records/index.js';

/**
 * True when the stored record `id` may receive an auth token. A missing authRule is "" (everyone), as
 * PocketBase defaults it; null (locked) admits no one but a superuser caller; an expression (e.g.
 * `verified = true`) is checked against the record with the caller's access, as PocketBase does.
 */
export function authRuleAllows(
  records: RecordService,
  collection: Collection,
  id: string,
  access: Access,
): Promise<boolean> {
  if (collection.options.authRule === undefined) return Promise.resolve(true);
  return records.passesRule(collection, 'authRule', id, access);
}
