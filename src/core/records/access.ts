// Who is asking: the caller's identity as the record engine sees it, whatever the transport.
import type { Collection } from '../collections/model.js';
import { SUPERUSERS_ID } from '../collections/system-collections.js';

/** The authenticated record behind a request, when there is one. */
export interface AuthIdentity {
  id: string;
  collectionId: string;
  collectionName: string;
  /** The record's public fields and hidden ones, for rules that look at `@request.auth.*`. */
  record: Record<string, unknown>;
}

export interface Access {
  /** Superusers pass every rule and see hidden fields. */
  superuser: boolean;
  auth: AuthIdentity | null;
}

export const GUEST: Access = Object.freeze({ superuser: false, auth: null });
export const SUPERUSER: Access = Object.freeze({ superuser: true, auth: null });

/** The access of a signed-in record: superuser when it is in `_superusers`. */
export function accessOf(collection: Collection, record: Record<string, unknown>): Access {
  // Rules may read any field of @request.auth, hidden ones too, but never the password hash or the token key.
  const { password: _password, tokenKey: _tokenKey, ...visible } = record;
  return {
    superuser: collection.id === SUPERUSERS_ID,
    auth: { id: String(record.id), collectionId: collection.id, collectionName: collection.name, record: visible },
  };
}
