// One log entry per request, in PocketBase's shape (`data.type = "request"`, method, url, status, execTime, auth,
// IPs, user agent, and the error of a failed request), queued for the batched writer as raw fields (see
// core/logs/log-rows.ts): it never delays a response.
import type { Context } from 'hono';
import { LOG_LEVELS, withoutNul, type Logs } from '../core/logs/logs.js';
import type { LogsSettings } from '../core/settings/schema.js';
import { clientIp, socketIp } from './client-ip.js';
import type { AppEnv } from './context.js';
import { requestHeader } from './middlewares/node-response.js';

/** What went wrong in a failed request, as onError recorded it. */
export interface RequestFailure {
  message: string;
  details?: unknown;
}

export function requestLogger(
  logs: Logs,
  settings: () => LogsSettings,
): (c: Context<AppEnv>, startedMs: number, status: number) => void {
  return (c, startedMs, status) => {
    const level = status >= 400 ? LOG_LEVELS.error : LOG_LEVELS.info;
    if (!logs.accepts(level)) return;
    // Reading the logs is not itself worth a log line (PocketBase skips it too), unless it failed.
    if (status < 400 && c.req.path.startsWith('/api/logs')) return;
    const { logIP, logAuthId } = settings();
    const auth = c.get('access')?.auth;
    const full = c.req.url;
    const at = full.indexOf('/', full.indexOf('//') + 2);
    // Without a trusted proxy the client is the socket's peer: one lookup serves both.
    const remoteIP = logIP ? socketIp(c) : null;
    const failure = c.get('failure');
    // Only the raw fields here, on the request's path: masking, escaping and the JSON come where it is written.
    logs.addRequest([
      'request',
      level,
      c.req.method,
      at < 0 ? '/' : full.slice(at),
      status,
      Math.round((performance.now() - startedMs) * 1000),
      requestHeader(c, 'referer') ?? '',
      requestHeader(c, 'user-agent') ?? '',
      auth?.collectionName ?? '',
      auth && logAuthId ? auth.id : null,
      logIP ? (c.get('trustedProxy') ? clientIp(c) : remoteIP) : null,
      remoteIP,
      failure ? withoutNul(failure.message) : null,
      failure?.details !== undefined ? JSON.stringify(failure.details) : null,
      Date.now(),
    ]);
  };
}
