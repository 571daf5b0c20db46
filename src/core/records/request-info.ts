// What rules may read of the request (`@request.*`), independent of the transport that carried it.

export interface RequestInfo {
  /** Upper-case HTTP method, e.g. `GET`. */
  method: string;
  /** `default`, or where the check happens: `expand`, `realtime`, ... */
  context: string;
  query: Record<string, string>;
  /** Header names lower-cased with `-` turned into `_`, as PocketBase exposes them (`x_token`). */
  headers: Record<string, string>;
  /** The submitted body, for create and update. */
  body: Record<string, unknown>;
}

export const EMPTY_REQUEST: RequestInfo = Object.freeze({
  method: 'GET',
  context: 'default',
  query: {},
  headers: {},
  body: {},
});

/** Normalizes header names the way PocketBase exposes them to rules. */
export function ruleHeaderName(name: string): string {
  return name.toLowerCase().replaceAll('-', '_');
}
