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

export function isBatchSubRequest(env: unknown): boolean {
  return typeof env === 'object' && env !== null && BATCH_SUB_REQUEST in env;
}
