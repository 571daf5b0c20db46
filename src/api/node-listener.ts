// The Node request listener Satchel serves through: it adds the security headers as the response's head is
// written, in the same header object as the handler's own, so no request pays for setHeader on its own.
import type { IncomingMessage, OutgoingHttpHeaders, RequestListener, ServerResponse } from 'node:http';
import { securityHeadersFor } from './middlewares/security-headers.js';

/** Marks a Node response whose head gets the security headers this way (the prelude then leaves them alone). */
export const HEAD_HEADERS = Symbol.for('satchel.headHeaders');

type WriteHead = ServerResponse['writeHead'];

/** Wraps a request listener (@hono/node-server's) so every response carries the security headers for its path. */
export function withSecurityHeaders(listener: RequestListener, ownPolicy: string[]): RequestListener {
  return function satchelListener(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const headers = securityHeadersFor(query === -1 ? url : url.slice(0, query), ownPolicy);
    const writeHead = res.writeHead as (...args: unknown[]) => ServerResponse;
    (res as ServerResponse & { [HEAD_HEADERS]?: boolean })[HEAD_HEADERS] = true;
    res.writeHead = function writeHeadWithSecurityHeaders(this: ServerResponse, status: number, ...rest: unknown[]) {
      const last = rest[rest.length - 1];
      if (last && typeof last === 'object' && !Array.isArray(last)) {
        const head = last as OutgoingHttpHeaders;
        for (const [name, value] of headers) if (head[name] === undefined) head[name] = value;
      } else if (!Array.isArray(last)) {
        for (const [name, value] of headers) if (!this.hasHeader(name)) this.setHeader(name, value);
      }
      return writeHead.call(this, status, ...rest);
    } as WriteHead;
    return listener(req, res);
  };
}
