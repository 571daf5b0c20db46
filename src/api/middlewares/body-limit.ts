// Refuses bodies over the configured size with a 413, before they are read into memory.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit as honoBodyLimit } from 'hono/body-limit';
import { ApiError } from '../../core/errors.js';

export interface BodyLimitOptions {
  /** Bytes; PocketBase's default is 32 MiB. */
  maxSize?: number;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

export function bodyLimit(options: BodyLimitOptions = {}): MiddlewareHandler {
  const maxSize = options.maxSize ?? DEFAULT_BODY_LIMIT;
  // Hono's limiter checks Content-Length first and counts streamed bytes otherwise.
  const limiter = honoBodyLimit({
    maxSize,
    onError: () => {
      throw ApiError.tooLarge(`The request body is larger than ${maxSize} bytes.`);
    },
  });
  return async function bodyLimitMiddleware(c, next) {
    // Bodiless methods skip the check: looking at the body would build a full Request for nothing.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    return limiter(c, next);
  };
}
