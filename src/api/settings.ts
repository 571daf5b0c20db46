// GET and PATCH /api/settings (superusers only): the settings kept in pb_data, in PocketBase's groups; secrets are
// never sent back.
import type { Hono } from 'hono';
import type { Mailer } from '../core/mail/mailer.js';
import { appleClientSecret } from '../core/settings/apple-client-secret.js';
import { sendTestEmail, testS3 } from '../core/settings/connection-tests.js';
import type { SettingsService } from '../core/settings/settings.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

export interface SettingsRouteDeps {
  settings: SettingsService;
  mailer: Mailer;
  appUrl: () => string;
}

export function bindSettingsRoutes(app: Hono<AppEnv>, { settings, mailer, appUrl }: SettingsRouteDeps): void {
  app.get('/api/settings', (c) => {
    requireSuperuser(c);
    return respondJson(c, settings.forClient());
  });

  app.patch('/api/settings', async (c) => {
    requireSuperuser(c);
    await settings.update(await readBody(c));
    return respondJson(c, settings.forClient());
  });

  app.post('/api/settings/test/email', async (c) => {
    requireSuperuser(c);
    await sendTestEmail(mailer, appUrl(), await readBody(c));
    return c.body(null, 204);
  });

  app.post('/api/settings/test/s3', async (c) => {
    requireSuperuser(c);
    await testS3(settings.get(), await readBody(c));
    return c.body(null, 204);
  });

  app.post('/api/settings/apple/generate-client-secret', async (c) => {
    requireSuperuser(c);
    return respondJson(c, await appleClientSecret(await readBody(c)));
  });
}
