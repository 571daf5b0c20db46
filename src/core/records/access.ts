// Who is asking: the caller's identity as the record engine sees it, whatever the transport.

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
