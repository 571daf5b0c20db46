// POST /api/collections/{collection}/request-otp (`{email}` -> `{otpId}`) and auth-with-otp
// (`{otpId, password}` -> `{token, record}`): sign-in with a one-time code sent by e-mail.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { signInClient } from './client-ip.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondAuth } from './respond-auth.js';
import { respondJson } from './respond.js';

export function bindOtpRoutes(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/request-otp', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    return respondJson(c, await auth.requestOtp(collection, await readBody(c)));
  });

  app.post('/api/collections/:collection/auth-with-otp', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    const body = { mfaId: c.req.query('mfaId'), ...(await readBody(c)) };
    return respondAuth(c, auth, collection, await auth.authWithOtp(collection, body, c.get('access'), signInClient(c)));
  });
}
