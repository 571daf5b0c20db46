// POST /api/collections/{collection}/auth-with-password: `{identity, password, identityField?}` -> `{token, record}`.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { signInClient } from './client-ip.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondAuth } from './respond-auth.js';

export function bindAuthWithPasswordRoute(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/auth-with-password', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    // The SDK sends a second MFA step's id in the query (options it does not know become query parameters).
    const body = { mfaId: c.req.query('mfaId'), ...(await readBody(c)) };
    return respondAuth(
      c,
      auth,
      collection,
      await auth.signInWithPassword(collection, body, c.get('access'), signInClient(c)),
    );
  });
}
