// Turning an auth record into the Access the record engine and the rules see.
import type { Collection } from '../collections/model.js';
import { SUPERUSERS_ID } from '../collections/system-collections.js';
import type { Access } from '../records/access.js';
import type { RecordJson } from '../records/serialize.js';

/** The access of a signed-in record: superuser when it is in `_superusers`. */
export function accessOf(collection: Collection, record: RecordJson): Access {
  // Rules may read any field of @request.auth, hidden ones too, but never the password hash or the token key.
  const { password: _password, tokenKey: _tokenKey, ...visible } = record;
  return {
    superuser: collection.id === SUPERUSERS_ID,
    auth: { id: String(record.id), collectionId: collection.id, collectionName: collection.name, record: visible },
  };
}
