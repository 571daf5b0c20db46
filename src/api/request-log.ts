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
/** A quick look for any of them, so most requests skip parsing their query. */
const MAY_HOLD_SECRET = /[?&](token|password|passwordConfirm|oldPassword|secret|code|otp|key|apikey|api_key)=/i;

/** The path and query as sent, with secret values masked and the length capped. */
function safeUrl(c: Context): string {
  const full = c.req.url;
  const at = full.indexOf('/', full.indexOf('//') + 2);
  const pathAndQuery = at < 0 ? '/' : full.slice(at);
  if (!MAY_HOLD_SECRET.test(pathAndQuery)) return cut(pathAndQuery, 3000);
  const url = new URL(full);
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_PARAMS.test(name)) url.searchParams.set(name, '***');
  }
  return cut(url.pathname + url.search, 3000);
}

/** A string as JSON: most need no escaping, and a test is cheaper than serializing. */
const q = (text: string) => (NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`);
// Quotes, backslashes, control characters, and lone surrogates (which JSON.stringify escapes).
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}...` : text);

/** What went wrong in a failed request, as onError recorded it. */
export interface RequestFailure {
  message: string;
  details?: unknown;
}

/** The URL with its percent-escapes decoded for reading (as sent when they are not valid). */
function readable(url: string): string {
  if (!url.includes('%')) return url;
  try {
    return decodeURI(url);
  } catch {
    return url;
  }
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
    const method = c.req.method;
    // The entry's JSON is written directly, member by member, in PocketBase's order: this runs for every
    // request, and building an object only to serialize it costs twice (the object and its garbage).
    let json =
      `{"type":"request","method":${q(method)},"url":${q(url)},"status":${status}` +
      `,"execTime":${Math.round((performance.now() - startedMs) * 1000) / 1000}` +
      `,"referer":${q(cut(requestHeader(c, 'referer') ?? '', 2000))}` +
      `,"userAgent":${q(cut(requestHeader(c, 'user-agent') ?? '', 2000))}` +
      `,"auth":${q(auth?.collectionName ?? '')}`;
    if (auth && logAuthId) json += `,"authId":${q(auth.id)}`;
    if (logIP) {
      // Without a trusted proxy the client is the socket's peer: one lookup serves both.
      const remoteIP = socketIp(c);
      json += `,"userIP":${q(c.get('trustedProxy') ? clientIp(c) : remoteIP)},"remoteIP":${q(remoteIP)}`;
    }
    const failure = c.get('failure');
    if (failure) {
      json += `,"error":${q(failure.message)}`;
      if (failure.details !== undefined) json += `,"details":${JSON.stringify(failure.details)}`;
    }
    logs.addJson(level, `${method} ${readable(url)}`, `${json}}`);
  };
}
