// One log entry per request, in PocketBase's shape (`data.type = "request"`, method, url, status, execTime, auth,
// IPs, user agent, and the error of a failed request), queued for the batched writer: it never delays a response.
import type { Context } from 'hono';
import { LOG_LEVELS, type Logs } from '../core/logs/logs.js';
import type { LogsSettings } from '../core/settings/schema.js';
import { clientIp, socketIp } from './client-ip.js';
import type { AppEnv } from './context.js';
import { requestHeader } from './middlewares/node-response.js';

/** Query parameters whose values are credentials: never written to a log. */
const SECRET_PARAMS = /^(token|password|passwordConfirm|oldPassword|secret|code|otp|key|apikey|api_key)$/i;

/** The path and query as sent, with secret values masked and the length capped. */
function safeUrl(c: Context): string {
  const url = new URL(c.req.url);
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) url.searchParams.set(name, '***');
  }
  return cut(url.pathname + url.search, 3000);
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}...` : text);

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
    const url = safeUrl(c);
    const data: Record<string, unknown> = {
      type: 'request',
      method: c.req.method,
      url,
      status,
      execTime: Math.round((performance.now() - startedMs) * 1000) / 1000,
      referer: cut(requestHeader(c, 'referer') ?? '', 2000),
      userAgent: cut(requestHeader(c, 'user-agent') ?? '', 2000),
      auth: auth?.collectionName ?? '',
    };
    if (auth && logAuthId) data.authId = auth.id;
    if (logIP) {
      data.userIP = clientIp(c);
      data.remoteIP = socketIp(c);
    }
    const failure = c.get('failure');
    if (failure) {
      data.error = failure.message;
      if (failure.details !== undefined) data.details = failure.details;
    }
    let message = `${c.req.method} ${url}`;
    try {
      message = `${c.req.method} ${decodeURI(url)}`;
    } catch {
      // Not valid percent-encoding: keep it as sent.
    }
    logs.add(level, message, data);
  };
}
