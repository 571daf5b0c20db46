// GET /api/health: a liveness answer in PocketBase's shape; superusers also get what the dashboard uses to
// spot a reverse proxy that the settings do not trust yet, and whether a backup can start.
import type { Hono } from 'hono';
import type { SettingsService } from '../core/settings/settings.js';
import { clientIp } from './client-ip.js';
import type { AppEnv } from './context.js';

/** Headers common proxies add, checked after the ones the settings name. */
const PROXY_HEADERS = ['CF-Connecting-IP', 'Fly-Client-IP', 'X-Forwarded-For', 'X-Real-IP'];

/** `canBackup`: whether a backup could start now (none and no restore under way). */
export function bindHealthRoutes(app: Hono<AppEnv>, settings: SettingsService, canBackup: () => boolean): void {
  const healthy = { message: 'API is healthy.', code: 200, data: {} };
  app.get('/api/health', (c) => {
    if (!c.get('access').superuser) return c.json(healthy);
    const headers = [...settings.get().trustedProxy.headers, ...PROXY_HEADERS];
    return c.json({
      ...healthy,
      data: {
        canBackup: canBackup(),
        realIP: clientIp(c),
        possibleProxyHeader: headers.find((name) => c.req.header(name)) ?? '',
      },
    });
  });
}
