// GET /_/: the page at the dashboard's address (for now the installer and the e-mail confirmation forms).
import type { Hono } from 'hono';
import { MINIMAL_PAGE_HTML } from '../ui/minimal-page.js';
import type { AppEnv } from './context.js';

export function bindDashboardRoutes(app: Hono<AppEnv>): void {
  app.get('/_', (c) => c.redirect('/_/', 301));
  app.get('/_/', (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('X-Frame-Options', 'DENY');
    return c.html(MINIMAL_PAGE_HTML);
  });
}
