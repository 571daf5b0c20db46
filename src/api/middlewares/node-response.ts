// The Node.js response behind a request served by @hono/node-server, when there is one.
import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/**
 * Headers set here before the response is written merge with the ones the handler answers; cheaper than a
 * Headers object per request. Undefined when the app is called in-process (app.fetch, tests).
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const env = c.env as { outgoing?: ServerResponse } | undefined;
  const outgoing = env?.outgoing;
  return outgoing && !outgoing.headersSent && typeof outgoing.setHeader === 'function' ? outgoing : undefined;
}
