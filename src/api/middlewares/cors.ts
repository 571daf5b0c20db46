// CORS: browser apps on other origins may call the API (any origin by default, as PocketBase allows).
import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';

export interface CorsOptions {
  /** Origins allowed to call the API, e.g. `https://app.example.com`; `['*']` (the default) allows any. */
  origins?: string[];
}

/** Preflights answer 204 with the allowed methods and the headers asked for; tokens travel in Authorization. */
export function cors(options: CorsOptions = {}): MiddlewareHandler {
  const origins = options.origins?.length ? options.origins : ['*'];
  const any = origins.includes('*');
  return honoCors({
    origin: any ? '*' : (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE'],
    maxAge: 86400,
  });
}
