// Who is calling, by IP: the socket's address, or, behind a reverse proxy the settings trust, the address the
// proxy wrote into its header. Rate limits and realtime clients are keyed by it.
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import { nodeRequest, requestHeader } from './middlewares/node-response.js';

/** The socket's peer; requests that did not come through a socket (app.request in tests) share one key. */
export function socketIp(c: Context): string {
  // Straight from Node's socket when served by @hono/node-server: read for every request (logs, rate limits).
  const direct = nodeRequest(c)?.socket?.remoteAddress;
  if (direct) return direct.startsWith('::ffff:') ? direct.slice(7) : direct;
  try {
    return getConnInfo(c).remote.address?.replace(/^::ffff:/, '') ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The caller's IP. With `trustedProxy` headers set (PATCH /api/settings), the first of them the request carries;
 * in a list (X-Forwarded-For) the rightmost address, the one the proxy itself appended, unless `useLeftmostIP`
 * (a client can write the left part). Without them, forwarding headers are ignored: anyone could send one.
 */
export function clientIp(c: Context): string {
  const proxy = c.get('trustedProxy') as { headers: string[]; useLeftmostIP: boolean } | undefined;
  if (proxy) {
    for (const name of proxy.headers) {
      const value = requestHeader(c, name.toLowerCase());
      if (!value) continue;
      const list = value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean);
      const ip = proxy.useLeftmostIP ? list[0] : list.at(-1);
      if (ip) return ip.replace(/^::ffff:/, '');
    }
  }
  return socketIp(c);
}

/** The caller as a sign-in remembers it (its origin): the IP above and the User-Agent header. */
export function signInClient(c: Context): { ip: string; userAgent: string } {
  return { ip: clientIp(c), userAgent: requestHeader(c, 'user-agent') ?? '' };
}
