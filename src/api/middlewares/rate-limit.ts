// Limits requests per client IP in fixed windows, answering 429 with Retry-After; memory stays bounded.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../core/errors.js';
import { renderError } from '../errors.js';
import { clientIp } from '../client-ip.js';

export interface RateLimitRule {
  /** Requests allowed per window and client. */
  max: number;
  /** Window length in seconds. */
  windowSeconds: number;
}

export interface RateLimitOptions extends RateLimitRule {
  /** Clients remembered at most; the oldest windows are forgotten first (default 10 000). */
  maxClients?: number;
}

interface Window {
  count: number;
  resetAt: number;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { max, windowSeconds } = options;
  const maxClients = options.maxClients ?? 10_000;
  const windows = new Map<string, Window>();

  const forgetSome = (now: number) => {
    for (const [key, w] of windows) if (w.resetAt <= now) windows.delete(key);
    // Still full: drop the oldest windows (a Map iterates in insertion order).
    for (const key of windows.keys()) {
      if (windows.size < maxClients) break;
      windows.delete(key);
    }
  };

  return async function rateLimitMiddleware(c, next) {
    const now = Date.now();
    const key = clientIp(c);
    let w = windows.get(key);
    if (!w || w.resetAt <= now) {
      windows.delete(key);
      if (windows.size >= maxClients) forgetSome(now);
      w = { count: 0, resetAt: now + windowSeconds * 1000 };
      windows.set(key, w);
    }
    if (w.count >= max) {
      c.header('Retry-After', String(Math.max(1, Math.ceil((w.resetAt - now) / 1000))));
      return renderError(c, ApiError.tooManyRequests());
    }
    w.count++;
    await next();
  };
}
