// The collection's authRule: whether a record may be signed in at all.
import type { Database } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import type { Access } from '../records/access.js';
import { compile } from '../records/compiled.js';
import { storedRecordPasses } from '../records/rule-checks.js';
import { resolveRule } from '../records/rules.js';

/**
 * True when the stored record `id` may receive an auth token. A missing authRule is "" (everyone), as
 * PocketBase defaults it; null (locked) admits no one but a superuser caller; an expression (e.g.
 * `verified = true`) is checked against the record with the caller's access, as PocketBase does.
 */
export function authRuleAllows(
  db: Database,
  registry: CollectionRegistry,
  collection: Collection,
  id: string,
  access: Access,
): boolean {
  if (collection.options.authRule === undefined) return true;
  try {
    const rule = resolveRule({ registry, access }, collection, 'authRule');
    return storedRecordPasses(db, compile(collection), rule, id);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return false;
    throw err;
  }
}
