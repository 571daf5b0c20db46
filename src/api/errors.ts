// Turns anything thrown while handling a request into PocketBase's error JSON; internals never leave the server.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ApiError } from '../core/errors.js';
import { FilterError } from '../core/query/errors.js';

/** Maps any thrown value to an ApiError; unknown errors are logged and become a bare 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof FilterError) return ApiError.badRequest(err.message);
  if (err instanceof HTTPException) {
    if (err.status === 413) return ApiError.tooLarge();
    return new ApiError(
      err.status,
      err.status < 500 ? err.message || 'Bad request.' : 'Something went wrong while processing your request.',
    );
  }
  console.error('[satchel] unhandled error:', err);
  return ApiError.internal();
}

/** Writes an ApiError as `{status, message, data}`. */
export function renderError(c: Context, error: ApiError): Response {
  return c.json(
    { status: error.status, message: error.message, data: error.data },
    error.status as ContentfulStatusCode,
  );
}

/** Hono's onError handler. */
export function onError(err: unknown, c: Context): Response {
  return renderError(c, toApiError(err));
}

/** Hono's notFound handler: unknown routes answer like PocketBase. */
export function onNotFound(c: Context): Response {
  return renderError(c, ApiError.notFound());
}
