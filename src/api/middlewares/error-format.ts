// Records how this request's errors are to be written, read from the settings (cached in memory).
import type { MiddlewareHandler } from 'hono';
import type { ErrorFormat } from '../../core/settings/settings.js';
import type { AppEnv } from '../context.js';

export interface ErrorFormatOptions {
  format: () => ErrorFormat;
}

export function errorFormat(options: ErrorFormatOptions): MiddlewareHandler<AppEnv> {
  return async function errorFormatMiddleware(c, next) {
    c.set('errorFormat', options.format());
    await next();
  };
}
