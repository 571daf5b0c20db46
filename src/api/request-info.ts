// What of an HTTP request the rules may read (`@request.method`, `.query.*`, `.headers.*`).
import type { Context } from 'hono';
import { ruleHeaderName, type RequestInfo } from '../core/records/index.js';

/**
 * Headers and query are read only when something asks for them: most requests never do. Prototype getters
 * rather than closures in an object literal: the closures kept each request's context alive through young-
 * generation GCs and multiplied GC pauses under load.
 */
class HttpRequestInfo implements RequestInfo {
  readonly method: string;
  readonly context = 'default';
  #context: Context;
  #query: Record<string, string> | undefined;
  #headers: Record<string, string> | undefined;

  constructor(
    c: Context,
    readonly body: Record<string, unknown>,
  ) {
    this.#context = c;
    this.method = c.req.method;
  }

  get query(): Record<string, string> {
    // Most requests have no query string at all: nothing to parse then.
    return (this.#query ??= this.#context.req.url.includes('?') ? this.#context.req.query() : NO_QUERY);
  }

  get headers(): Record<string, string> {
    if (!this.#headers) {
      const headers: Record<string, string> = {};
      for (const [name, value] of this.#context.req.raw.headers) headers[ruleHeaderName(name)] = value;
      this.#headers = headers;
    }
    return this.#headers;
  }
}

const NO_QUERY: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** The request as rules see it. */
export function requestInfo(c: Context, body: Record<string, unknown> = {}): RequestInfo {
  return new HttpRequestInfo(c, body);
}
