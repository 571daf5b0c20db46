// The Node.js request and response behind a request served by @hono/node-server, when there are some.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context } from 'hono';

interface NodeEnv {
  incoming?: IncomingMessage;
  outgoing?: ServerResponse;
}

/** Node's request, when the app is served by Node's HTTP server (not in-process: app.fetch, tests). */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as NodeEnv | undefined)?.incoming;
}

/**
 * Node's response while its headers are not sent yet. Headers set on it merge with the ones the handler answers;
 * cheaper than a Headers object per request.
 */
export function nodeResponse(c: Context): ServerResponse | undefined {
  const outgoing = (c.env as NodeEnv | undefined)?.outgoing;
  return outgoing && !outgoing.headersSent && typeof outgoing.setHeader === 'function' ? outgoing : undefined;
}

/**
 * A request header (lower-case name). From Node's own header object when served by Node: `c.req.header()` would
 * build a WHATWG Headers for the whole request first.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = nodeRequest(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** True when Satchel's Node listener adds the security headers to this response's head itself. */
export function headHeadersApplied(c: Context): boolean {
  const outgoing = (c.env as NodeEnv | undefined)?.outgoing as { [key: symbol]: unknown } | undefined;
  return outgoing?.[Symbol.for('satchel.headHeaders')] === true;
}

/** Sets a response header before the handler answers: on Node's response, or through the context in-process. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  const outgoing = nodeResponse(c);
  if (outgoing) outgoing.setHeader(name, value);
  else c.header(name, value);
}
