// GET and PATCH /api/settings (superusers only): the settings kept in pb_data, e.g. `{putUser: {enabled}}`.
import type { Hono } from 'hono';
import type { SettingsService } from '../core/settings/settings.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

export function bindSettingsRoutes(app: Hono<AppEnv>, settings: SettingsService): void {
  app.get('/api/settings', (c) => {
    requireSuperuser(c);
    return respondJson(c, settings.get());
  });

  app.patch('/api/settings', async (c) => {
    requireSuperuser(c);
    return respondJson(c, await settings.update(await readBody(c)));
  });
}
