// Fixed-window request counters per client, answering 429 with Retry-After; memory stays bounded. The counters
// are per process: behind a load balancer over N Satchel processes a client may get up to N times the limit.
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

/** Counters keyed by whatever the caller chooses (a rule and a client IP); at most `maxKeys` are kept. */
export class RateWindows {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly maxKeys = 10_000) {}

  /** Counts one request; 0 when it is allowed, else the seconds until the window resets. */
  consume(key: string, rule: RateLimitRule, now = Date.now()): number {
    let w = this.windows.get(key);
    if (!w || w.resetAt <= now) {
      this.windows.delete(key);
      if (this.windows.size >= this.maxKeys) this.forgetSome(now);
      w = { count: 0, resetAt: now + rule.windowSeconds * 1000 };
      this.windows.set(key, w);
    }
    if (w.count >= rule.max) return Math.max(1, Math.ceil((w.resetAt - now) / 1000));
    w.count++;
    return 0;
  }

  clear(): void {
    this.windows.clear();
  }

  private forgetSome(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
    // Still full: drop the oldest windows (a Map iterates in insertion order).
    for (const key of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}

/** The 429 answer, with when to try again. */
export function tooManyRequests(c: Parameters<MiddlewareHandler>[0], retryAfter: number): Response {
  c.header('Retry-After', String(retryAfter));
  return renderError(c, ApiError.tooManyRequests());
}

/** A limit on the routes it is put on, per client IP: `app.use('/api/contact', rateLimit({max, windowSeconds}))`. */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const windows = new RateWindows(options.maxClients);
  return async function rateLimitMiddleware(c, next) {
    const retryAfter = windows.consume(clientIp(c), options);
    if (retryAfter) return tooManyRequests(c, retryAfter);
    await next();
  };
}
