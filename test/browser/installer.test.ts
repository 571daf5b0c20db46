// The /_/ page in headless Chromium, as a person meets it: the first-run link creates the first superuser,
// and a password-reset link from the outbox sets a new password.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, startServer, type TestServer } from '../server/helpers/server.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

const available = chromiumAvailable();

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  if (!available) return;
  browser = await launchChromium();
  server = await startServer({
    collections: [JSON.parse(readFileSync('collections/users.json', 'utf8')) as { name: string }],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await cleanup();
});

const post = async (path: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe.skipIf(!available)('the /_/ page in Chromium', () => {
  it('the first-run link creates the first superuser, who can then sign in', async () => {
    const link = /http:\/\/127\.0\.0\.1:\d+\/_\/#\/pbinstall\/[\w.-]+/.exec(server.output())?.[0];
    expect(link, server.output()).toBeDefined();
    const page = await browser.newPage();
    await page.goto(link!);
    await expect.poll(() => page.getByRole('heading', { name: 'Create the first superuser' }).isVisible()).toBe(true);
    await page.getByLabel('E-mail').fill('admin@example.com');
    await page.getByLabel('Password', { exact: true }).fill('admin-password-1');
    await page.getByLabel('Confirm password').fill('admin-password-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The superuser was created.').waitFor({ timeout: 10_000 });
    await page.close();

    const signIn = await post('/api/collections/_superusers/auth-with-password', {
      identity: 'admin@example.com',
      password: 'admin-password-1',
    });
    expect(signIn.status).toBe(200);
  });

  it('a link with a bad token shows the error the server gave', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/_/#/auth/confirm-password-reset/not-a-token`);
    await page.getByLabel('New password', { exact: true }).fill('new-password-1');
    await page.getByLabel('Confirm the new password').fill('different-password');
    await page.getByRole('button', { name: 'Save' }).click();
    const status = page.locator('p.error');
    await status.waitFor({ timeout: 10_000 });
    const text = (await status.textContent()) ?? '';
    expect(text).toMatch(/\S/);
    expect(text).not.toContain('could not be reached');
    await page.close();
  });

  it('a password-reset link from the outbox sets a new password', async () => {
    const created = await post('/api/collections/users/records', {
      email: 'ann@example.com',
      password: 'old-password-1',
      passwordConfirm: 'old-password-1',
    });
    expect(created.status).toBe(200);
    expect((await post('/api/collections/users/request-password-reset', { email: 'ann@example.com' })).status).toBe(
      204,
    );
    // The mail is written just after the 204; wait for it (bounded).
    const outbox = join(server.dataDir, 'outbox');
    let mail: string | undefined;
    for (let i = 0; i < 100 && !mail; i++) {
      if (existsSync(outbox)) {
        // Only finished mails: one being written is a .tmp file, renamed away the moment it is complete.
        mail = readdirSync(outbox)
          .filter((f) => f.endsWith('.eml'))
          .map((f) => readFileSync(join(outbox, f), 'utf8'))
          .find((text) => text.includes('confirm-password-reset'));
      }
      if (!mail) await new Promise((r) => setTimeout(r, 50));
    }
    const link = /http:\/\/[^\s]+confirm-password-reset\/[\w.-]+/.exec(mail ?? '')?.[0];
    expect(link, mail).toBeDefined();

    const page = await browser.newPage();
    await page.goto(link!);
    await page.getByLabel('New password', { exact: true }).fill('new-password-1');
    await page.getByLabel('Confirm the new password').fill('new-password-1');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your password was changed.').waitFor({ timeout: 10_000 });
    await page.close();

    const signIn = await post('/api/collections/users/auth-with-password', {
      identity: 'ann@example.com',
      password: 'new-password-1',
    });
    expect(signIn.status).toBe(200);
  });
});
