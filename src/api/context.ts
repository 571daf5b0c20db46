// The typed per-request variables every route can read with c.get(...).
import type { Access } from '../core/records/index.js';
import type { ErrorFormat, TrustedProxy } from '../core/settings/settings.js';
import type { RequestFailure } from './request-log.js';

export interface AppEnv {
  Variables: {
    /** Who is calling; guests until the auth middleware says otherwise. */
    access: Access;
    /** How this request's errors are written; set first, from the settings. */
    errorFormat: ErrorFormat;
    /** The largest body this request may send, once its declared length was checked against it (bytes). */
    bodyLimit?: number;
    /** Temporary files this request's uploads were written to; removed once the route has answered. */
    tempFiles?: string[];
    /** The reverse proxy the settings trust, when they name its headers (see client-ip.ts). */
    trustedProxy?: TrustedProxy;
    /** What went wrong, when the request failed (for its log entry). */
    failure?: RequestFailure;
  };
}

/**
 * Marks the environment of a request the batch route makes itself: it was counted by the rate limits and logged
 * as part of its batch, so neither applies again. Only code holds this symbol; no client can send it.
 */
export const BATCH_SUB_REQUEST = Symbol('satchel.batchSubRequest');

/**
 * What the batch route hands each of its requests under BATCH_SUB_REQUEST: the body it already read (uploads
 * included), so the request carries no body to encode and parse again, and a slot where the route leaves its JSON
 * answer, so the batch need not serialize and parse it back. A batch of 100 creates spent most of its time on those.
 */
export interface BatchSubRequest {
  /** The batch's caller, already authenticated: its token is not verified again for every request. */
  access: Access;
  body: Record<string, unknown>;
  answer?: { status: number; value: unknown };
}

export function batchSubRequest(env: unknown): BatchSubRequest | undefined {
  if (typeof env !== 'object' || env === null) return undefined;
  const given = (env as { [BATCH_SUB_REQUEST]?: unknown })[BATCH_SUB_REQUEST];
  return typeof given === 'object' && given !== null ? (given as BatchSubRequest) : undefined;
}
