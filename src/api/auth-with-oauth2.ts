// POST /api/collections/{collection}/auth-with-oauth2: `{provider, code, codeVerifier, redirectURL, createData}`
// -> `{token, record, meta}`, as the SDK's authWithOAuth2Code sends it.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { signInClient } from './client-ip.js';
import type { AppEnv } from './context.js';
import { isPlainObject, readBody } from './request-body.js';
import { requestInfo } from './request-info.js';
import { respondAuth } from './respond-auth.js';

export function bindAuthWithOAuth2Route(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/collections/:collection/auth-with-oauth2', async (c) => {
    const collection = auth.authCollection(c.req.param('collection'));
    // The SDK sends a second MFA step's id in the query (options it does not know become query parameters).
    const body: Record<string, unknown> = { mfaId: c.req.query('mfaId'), ...(await readBody(c)) };
    // Rules checked while creating a new user read createData as @request.body.
    const createData = isPlainObject(body.createData) ? body.createData : {};
    const signedIn = await auth.authWithOAuth2(
      collection,
      body,
      c.get('access'),
      requestInfo(c, createData),
      signInClient(c),
    );
    return respondAuth(c, auth, collection, signedIn);
  });
}
