// Refuses bodies over the configured size with a 413, before they are read into memory.
import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../core/errors.js';
import type { AppEnv } from '../context.js';
import { requestHeader } from './node-response.js';

export interface BodyLimitOptions {
  /** Bytes; PocketBase's default is 32 MiB. */
  maxSize?: number;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

export function bodyLimit(options: BodyLimitOptions = {}): MiddlewareHandler<AppEnv> {
  const maxSize = options.maxSize ?? DEFAULT_BODY_LIMIT;
  const tooLarge = () => ApiError.tooLarge(`The request body is larger than ${maxSize} bytes.`);
  return async function bodyLimitMiddleware(c, next) {
    // Bodiless methods skip the check: looking at the body would build a full Request for nothing.
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'OPTIONS') return next();
    const length = requestHeader(c, 'content-length');
    if (length !== undefined && requestHeader(c, 'transfer-encoding') === undefined) {
      if (Number.parseInt(length, 10) > maxSize) throw tooLarge();
      c.set('bodyLimit', maxSize);
      return next();
    }
    // No declared length (a chunked body): count the bytes as they arrive and stop at the limit.
    const raw = c.req.raw;
    if (!raw.body) return next();
    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxSize) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    // A new Request from the URL, not from the old Request: deriving one Request from another ties their abort
    // signals together through a listener, which kept every such request alive (a leak under chunked uploads).
    c.req.raw = new Request(raw.url, { method: raw.method, headers: raw.headers, body: Buffer.concat(chunks, size) });
    await next();
  };
}
