// GET /_/...: the admin dashboard (dist/ui): index.html for every page path, hashed assets cached for a year.
// Without a built UI (a library user who never ran the build) /_/ is the minimal installer/confirmation page.
import type { Hono } from 'hono';
import { MINIMAL_PAGE_HTML } from '../dashboard/minimal-page.js';
import { DashboardFiles, findDashboardDir } from '../dashboard/static.js';
import type { AppEnv } from './context.js';

/** The dashboard runs only its own scripts and talks only to this server (OWN_POLICY_PATHS skip the API policy). */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export interface DashboardOptions {
  /** The built UI's folder; default: found beside the running module. null: serve the minimal page. */
  dir?: string | null;
}

export function bindDashboardRoutes(app: Hono<AppEnv>, options: DashboardOptions = {}): void {
  const dir = options.dir === undefined ? findDashboardDir() : (options.dir ?? undefined);
  app.get('/_', (c) => c.redirect('/_/', 301));
  if (!dir) {
    app.get('/_/', (c) => {
      c.header('Cache-Control', 'no-store');
      c.header('X-Frame-Options', 'DENY');
      return c.html(MINIMAL_PAGE_HTML);
    });
    return;
  }
  const files = new DashboardFiles(dir);
  app.get('/_/assets/:name', async (c) => {
    const asset = await files.asset(c.req.param('name'));
    if (!asset) return c.notFound();
    c.header('Content-Type', asset.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    if (!asset.gzipped) return c.body(asset.body);
    c.header('Vary', 'Accept-Encoding');
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(asset.body);
    c.header('Content-Encoding', 'gzip');
    return c.body(asset.gzipped);
  });
  // Any other path under /_/ is a page of the app (it routes by the hash; deep links still land here).
  app.get('/_/*', (c) => {
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', DASHBOARD_CSP);
    c.header('X-Frame-Options', 'DENY');
    return c.html(files.indexHtml);
  });
}
