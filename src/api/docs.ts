// GET /api/docs: a readable API reference, Scalar's renderer over GET /api/openapi.json. Every asset is served
// here (the bundle, the start script); the page's policy lets it load nothing from anywhere else, and the
// renderer is told not to ask (no web fonts, no telemetry, no request proxy).
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import type { AppEnv } from './context.js';
import { findDocsBundle } from './docs-assets.js';

/** The page runs only its own scripts and talks only to this server. Scalar styles its parts inline. */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The renderer's settings: nothing fetched from Scalar's hosts, the document from this server. */
const CONFIG = {
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  // Try-it requests go straight to this server (the default would send them through Scalar's proxy).
  proxyUrl: '',
  documentDownloadType: 'json',
  // No "Ask AI" agent and no developer toolbar: both call Scalar's servers.
  agent: { disabled: true },
  showDeveloperTools: 'never',
  // Our x-codeSamples (curl and the JS SDK) per operation instead of generated clients.
  hiddenClients: true,
  defaultOpenAllTags: false,
};

/**
 * Starts the renderer. A superuser signed in to the dashboard (same origin: the SDK keeps the session in
 * localStorage under `pocketbase_auth`) gets the whole document; anyone else the public one.
 */
const START_SCRIPT = `(function () {
  var token = '';
  try { token = (JSON.parse(localStorage.getItem('pocketbase_auth') || '{}') || {}).token || ''; } catch (e) {}
  var config = ${JSON.stringify(CONFIG)};
  config.fetch = function (input, init) {
    var url = typeof input === 'string' ? input : input.url;
    if (!token || url.indexOf('/api/openapi.json') < 0) return fetch(input, init);
    var headers = new Headers((init && init.headers) || {});
    headers.set('Authorization', token);
    return fetch(input, Object.assign({}, init, { headers: headers }));
  };
  Scalar.createApiReference('#app', config);
})();
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>API reference</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/api/docs/scalar.js"></script>
    <script src="/api/docs/start.js"></script>
  </body>
</html>
`;

/** Without the renderer (a build that could not copy it): the document is still one link away. */
const PLAIN_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>API reference</title></head>
  <body>
    <h1>API reference</h1>
    <p>The reference page's renderer was not built. The OpenAPI 3.1 document is at
    <a href="/api/openapi.json">/api/openapi.json</a>.</p>
  </body>
</html>
`;

export function bindDocsRoutes(app: Hono<AppEnv>, bundlePath = findDocsBundle()): void {
  const page = (html: string) => (c: Context<AppEnv>) => {
    c.header('Cache-Control', 'no-store');
    c.header('Content-Security-Policy', DOCS_CSP);
    c.header('X-Frame-Options', 'DENY');
    return c.html(html);
  };
  if (!bundlePath) {
    app.get('/api/docs', page(PLAIN_PAGE));
    return;
  }
  app.get('/api/docs', page(PAGE));
  app.get('/api/docs/start.js', (c) => {
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'no-cache');
    return c.body(START_SCRIPT);
  });
  // Read and compressed once, on the first visit (3.5 MB, about 1 MB gzipped).
  let bundle: Promise<{ plain: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> }> | undefined;
  app.get('/api/docs/scalar.js', async (c) => {
    bundle ??= readFile(bundlePath).then((plain) => ({
      plain: new Uint8Array(plain),
      gzipped: new Uint8Array(gzipSync(plain)),
    }));
    const { plain, gzipped } = await bundle;
    c.header('Content-Type', 'text/javascript; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    c.header('Vary', 'Accept-Encoding');
    if (!/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) return c.body(plain);
    c.header('Content-Encoding', 'gzip');
    return c.body(gzipped);
  });
}
