// POST /api/installer: with the one-time installer token as Authorization, creates the first superuser.
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import type { AppEnv } from './context.js';
import { tokenFromHeader } from './auth-token.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

export function bindInstallerRoute(app: Hono<AppEnv>, auth: AuthService): void {
  app.post('/api/installer', async (c) => {
    const token = tokenFromHeader(c.req.header('authorization'));
    return respondJson(c, await auth.installFirstSuperuser(token, await readBody(c)));
  });
}
