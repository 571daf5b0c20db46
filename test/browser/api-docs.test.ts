// /api/docs in headless Chromium: the reference renders from /api/openapi.json with every request going to the
// server itself (no font, script or telemetry host), and shows the curl and JS SDK samples of an operation.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

const available = chromiumAvailable();

let browser: Browser;
let t: SdkApp;

beforeAll(async () => {
  if (!available) return;
  browser = await launchChromium();
  t = await sdkApp([
    {
      name: 'posts',
      listRule: '',
      viewRule: '',
      createRule: '',
      fields: [{ name: 'title', type: 'text', required: true, max: 200 }],
    },
    { name: 'vault', fields: [{ name: 'secret', type: 'text' }] },
  ]);
});

afterAll(async () => {
  await browser?.close();
  await t?.cleanup();
});

describe.skipIf(!available)('GET /api/docs', () => {
  it('renders the reference with assets from the server only, and per-operation curl and SDK samples', async () => {
    const page = await browser.newPage();
    const origin = new URL(t.server.url).origin;
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    const blocked: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) blocked.push(message.text());
    });
    const res = await page.goto(`${t.server.url}/api/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    // The operations of the live schema are listed.
    await page.getByText('Create a posts record').first().waitFor({ timeout: 20_000 });
    await page.getByText('Create a posts record').first().click();
    // Our samples: curl first, then the JS SDK call for the operation.
    await page
      .getByText(`curl -X GET '${t.server.url}/api/collections/posts/records'`)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'curl' }).first().click();
    await page.getByRole('option', { name: 'JS SDK' }).first().click();
    await page.getByText("pb.collection('posts').getList(1, 30", { exact: false }).first().waitFor({ timeout: 10_000 });
    expect(requests.some((url) => url.endsWith('/api/openapi.json'))).toBe(true);
    expect(
      requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')),
    ).toEqual([]);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it('shows a superuser signed in to the dashboard the whole reference, anyone else the public one', async () => {
    const page = await browser.newPage();
    await page.goto(`${t.server.url}/api/docs`);
    await page.getByText('Create a posts record').first().waitFor({ timeout: 20_000 });
    expect(await page.getByText('vault', { exact: true }).count()).toBe(0);
    // The dashboard's session (the SDK's LocalAuthStore), as after signing in at /_/.
    await page.evaluate(
      (token) => (globalThis as any).localStorage.setItem('pocketbase_auth', JSON.stringify({ token, record: null })),
      t.pb.authStore.token,
    );
    await page.reload();
    // The locked collection's group is listed now.
    await page.getByText('vault', { exact: true }).first().waitFor({ timeout: 20_000 });
    await page.close();
  });

  it('serves the renderer gzipped and the page under its own policy', async () => {
    const res = await fetch(`${t.server.url}/api/docs/scalar.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect((await res.text()).length).toBeGreaterThan(1_000_000);
  });
});
