// Serving the dashboard at /_/ from the built CLI: pages, hashed assets and their caching, the CSP, the fallback
// page without a build, and the first-load JavaScript budget of issue #13.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppEnv } from '../../src/api/context.js';
import { bindDashboardRoutes } from '../../src/api/dashboard.js';
import { cleanup, ROOT, startServer, type TestServer } from '../server/helpers/server.js';

const UI = join(ROOT, 'dist', 'ui');
const BUDGET_BYTES = 250 * 1024;

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
  await cleanup();
});

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers, redirect: 'manual' });

/** The asset URLs index.html loads. */
function assetsOf(html: string): string[] {
  return [...html.matchAll(/(?:src|href)="(\/_\/assets\/[^"]+)"/g)].map((m) => m[1]!);
}

describe('the dashboard pages', () => {
  it('/_/ and any deeper page path answer the built index.html, never cached, with their own strict CSP', async () => {
    const built = readFileSync(join(UI, 'index.html'), 'utf8');
    for (const path of ['/_/', '/_/collections/posts', '/_/some/deep/path']) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data: blob:");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      // The API's own policy (default-src 'none') would stop the page's scripts.
      expect(csp).not.toContain("default-src 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await res.text()).toBe(built);
    }
  });

  it('/_ redirects to /_/', async () => {
    const res = await get('/_');
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/_/');
  });

  it('loads nothing from another host', async () => {
    const html = await (await get('/_/')).text();
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(assetsOf(html).length).toBeGreaterThanOrEqual(2);
  });
});

describe('the dashboard assets', () => {
  it('hashed assets are served with their type and cached for a year as immutable', async () => {
    const html = await (await get('/_/')).text();
    for (const url of assetsOf(html)) {
      const res = await get(url, { 'accept-encoding': 'identity' });
      expect(res.status, url).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type')).toBe(
        url.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
      );
      const onDisk = readFileSync(join(UI, 'assets', url.split('/').pop()!));
      expect(Buffer.from(await res.arrayBuffer()).equals(onDisk)).toBe(true);
    }
  });

  it('scripts and styles go gzipped to a client that accepts it', async () => {
    const html = await (await get('/_/')).text();
    const script = assetsOf(html).find((u) => u.endsWith('.js'))!;
    const res = await get(script, { 'accept-encoding': 'gzip' });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
    // fetch decodes it: the same bytes as the file.
    expect(await res.text()).toBe(readFileSync(join(UI, 'assets', script.split('/').pop()!), 'utf8'));
  });

  it('a missing asset, or a name that tries to leave assets/, is a 404', async () => {
    for (const path of [
      '/_/assets/index-missing.js',
      '/_/assets/..%2Findex.html',
      '/_/assets/%2e%2e%2f..%2fpackage.json',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('the first load stays under 250 KB of gzipped JavaScript', () => {
    const scripts = readdirSync(join(UI, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const total = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(join(UI, 'assets', f))).length, 0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });
});

describe('without a built dashboard', () => {
  it('/_/ is the minimal installer and confirmation page', async () => {
    const app = new Hono<AppEnv>();
    bindDashboardRoutes(app, { dir: null });
    const res = await app.request('/_/');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('pbinstall');
    expect(html).not.toContain('/_/assets/');
  });

  it('the library build (dist/dashboard/static.js, tsc output) finds dist/ui as the bundled CLI does', async () => {
    const { findDashboardDir } = (await import(join(ROOT, 'dist', 'dashboard', 'static.js'))) as {
      findDashboardDir: () => string | undefined;
    };
    expect(findDashboardDir()).toBe(UI + '/');
  });
});
