// The Node response class Satchel serves with: it adds the security headers to the head object as the head is
// written, next to the handler's own headers, so no request pays for setHeader (which sends Node's header
// handling down its slow merging path) or for per-request changes to the response object.
import { ServerResponse, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { securityHeadersFor } from './middlewares/security-headers.js';

/** On the prototype of responses that get the security headers this way (the prelude then leaves them alone). */
export const HEAD_HEADERS = Symbol.for('satchel.headHeaders');

/** A ServerResponse class (for `http.createServer({ ServerResponse })`) adding the headers for `ownPolicy` paths. */
export function securityHeadersResponse(ownPolicy: string[]): typeof ServerResponse {
  class SecurityHeadersResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
    // Node's overloads (status, headers) and (status, message, headers) both end with the headers.
    override writeHead(statusCode: number, ...rest: unknown[]): this {
      const url = this.req?.url ?? '/';
      const query = url.indexOf('?');
      const headers = securityHeadersFor(query === -1 ? url : url.slice(0, query), ownPolicy);
      const last = rest[rest.length - 1];
      if (last && typeof last === 'object' && !Array.isArray(last)) {
        const head = last as OutgoingHttpHeaders;
        for (const [name, value] of headers) if (head[name] === undefined) head[name] = value;
      } else if (!Array.isArray(last)) {
        for (const [name, value] of headers) if (!this.hasHeader(name)) this.setHeader(name, value);
      }
      return (super.writeHead as (code: number, ...args: unknown[]) => this)(statusCode, ...rest);
    }
  }
  Object.defineProperty(SecurityHeadersResponse.prototype, HEAD_HEADERS, { value: true });
  return SecurityHeadersResponse as unknown as typeof ServerResponse;
}
