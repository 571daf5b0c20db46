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
