// What rules may read of the request (`@request.*`), independent of the transport that carried it.

export interface RequestInfo {
  /** Upper-case HTTP method, e.g. `GET`. */
  readonly method: string;
  /** `default`, or where the check happens: `expand`, `realtime`, ... */
  readonly context: string;
  readonly query: Record<string, string>;
  /** Header names lower-cased with `-` turned into `_`, as PocketBase exposes them (`x_token`). */
  readonly headers: Record<string, string>;
  /** The submitted body, for create and update. */
  readonly body: Record<string, unknown>;
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

/**
 * The same request with another body or context. A class with prototype getters, not a spread: a spread would
 * read (and so build) the lazy headers and query of the original on every call.
 */
class ChangedRequest implements RequestInfo {
  constructor(
    private readonly base: RequestInfo,
    private readonly changes: { body?: Record<string, unknown>; context?: string },
  ) {}
  get method() {
    return this.base.method;
  }
  get context() {
    return this.changes.context ?? this.base.context;
  }
  get query() {
    return this.base.query;
  }
  get headers() {
    return this.base.headers;
  }
  get body() {
    return this.changes.body ?? this.base.body;
  }
}

export function withBody(request: RequestInfo, body: Record<string, unknown>): RequestInfo {
  return request.body === body ? request : new ChangedRequest(request, { body });
}

export function withContext(request: RequestInfo, context: string): RequestInfo {
  return request.context === context ? request : new ChangedRequest(request, { context });
}
