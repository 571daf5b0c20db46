// Turns anything thrown while handling a request into PocketBase's error JSON or RFC 9457 problem details;
// internals never leave the server.
import { STATUS_CODES } from 'node:http';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MfaRequired } from '../core/auth/mfa.js';
import { ApiError, storeFailureAsApiError } from '../core/errors.js';
import { FilterError } from '../core/query/errors.js';
import type { AppEnv } from './context.js';

function isAbortedRequest(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown } | null;
  return e?.code === 'ECONNRESET' || e?.code === 'ERR_STREAM_PREMATURE_CLOSE' || e?.message === 'aborted';
}

/** Maps any thrown value to an ApiError; unknown errors are logged and become a bare 500. */
export function toApiError(thrown: unknown): ApiError {
  const err = storeFailureAsApiError(thrown);
  if (err instanceof ApiError) return err;
  if (err instanceof FilterError) return ApiError.badRequest(err.message);
  if (err instanceof HTTPException) {
    if (err.status === 413) return ApiError.tooLarge();
    return new ApiError(
      err.status,
      err.status < 500 ? err.message || 'Bad request.' : 'Something went wrong while processing your request.',
    );
  }
  // The client went away while its body was being read: nobody is left to answer, and nothing went wrong here.
  if (isAbortedRequest(err)) return ApiError.badRequest('The request was aborted by the client.');
  console.error('[satchel] unhandled error:', err);
  return ApiError.internal();
}

/** Members particular to a route's contract: top-level keys of the PocketBase body, or problem extensions. */
export interface ErrorExtra {
  pocketbase?: Record<string, unknown>;
  problem?: Record<string, unknown>;
}

/** An error's body in a format: PocketBase's `{status, message, data}` or RFC 9457 problem details. */
export function errorBody(format: string | undefined, error: ApiError, path: string, extra?: ErrorExtra): unknown {
  const status = error.status;
  if (format === 'problem+json') {
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: error.message,
      instance: path,
      ...(Object.keys(error.data).length ? { errors: error.data } : {}),
      ...extra?.problem,
    };
  }
  return extra?.pocketbase ?? { status, message: error.message, data: error.data };
}

/** Writes an error body in the request's format (see errorBody). */
export function renderError(c: Context<AppEnv>, error: ApiError, extra?: ErrorExtra): Response {
  const status = error.status as ContentfulStatusCode;
  const format = c.get('errorFormat');
  const body = errorBody(format, error, c.req.path, extra);
  if (format === 'problem+json') {
    return c.body(JSON.stringify(body), status, { 'content-type': 'application/problem+json' });
  }
  return c.json(body as object, status);
}

/** Hono's onError handler; what went wrong is kept for the request's log entry (internals stay on the server). */
export function onError(err: unknown, c: Context<AppEnv>): Response {
  // The first step of an MFA sign-in: PocketBase answers 401 with just the id of the step (the SDKs read it).
  if (err instanceof MfaRequired) {
    c.set('failure', { message: err.message });
    return renderError(c, ApiError.unauthorized(err.message), {
      pocketbase: { mfaId: err.mfaId },
      problem: { mfaId: err.mfaId },
    });
  }
  const apiError = toApiError(err);
  const internal = apiError.status >= 500 && err instanceof Error ? err.message : undefined;
  c.set('failure', {
    message: internal ?? apiError.message,
    ...(Object.keys(apiError.data).length ? { details: apiError.data } : {}),
  });
  return renderError(c, apiError);
}

/** Hono's notFound handler: unknown routes answer like PocketBase. */
export function onNotFound(c: Context<AppEnv>): Response {
  return renderError(c, ApiError.notFound());
}
