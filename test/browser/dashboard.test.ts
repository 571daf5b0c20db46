// The dashboard at /_/ in headless Chromium, as the person running a server uses it: first run, sessions, and the
// records of a collection through the table and the form.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { fakeSmtp } from '../helpers/fake-smtp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, startServer, type TestServer } from '../server/helpers/server.js';
import { chromiumAvailable, launchChromium } from './chromium.js';

const available = chromiumAvailable();
const ADMIN = { email: 'admin@example.com', password: 'admin-password-1' };
const POSTS = {
  name: 'posts',
  fields: [
    { name: 'title', type: 'text', required: true, max: 100 },
    { name: 'body', type: 'editor' },
    { name: 'views', type: 'number' },
    { name: 'published', type: 'bool' },
    { name: 'contact', type: 'email' },
    { name: 'link', type: 'url' },
    { name: 'when', type: 'date' },
    { name: 'status', type: 'select', values: ['draft', 'live'], maxSelect: 1 },
    { name: 'tags', type: 'select', values: ['news', 'howto', 'misc'], maxSelect: 3 },
    { name: 'meta', type: 'json' },
    { name: 'author', type: 'relation', collectionId: '_pb_users_auth_', maxSelect: 1 },
    { name: 'docs', type: 'file', maxSelect: 3, maxSize: 65536 },
  ],
};

let browser: Browser;
let server: TestServer;
let page: Page;
/** Screenshots to look at (not asserted), in both colour schemes: test-results/dashboard/ (git-ignored). */
const screenshots = join('test-results', 'dashboard');
mkdirSync(screenshots, { recursive: true });
/** Uncaught exceptions in the page; any one fails the run. */
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!available) return;
  browser = await launchChromium();
  server = await startServer({
    collections: [
      JSON.parse(readFileSync('collections/users.json', 'utf8')) as { name: string },
      POSTS,
      { name: 'items', fields: [{ name: 'n', type: 'number' }] },
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // A control that never becomes usable fails its step with a clear message, well before the test's timeout.
  page.setDefaultTimeout(10_000);
  // A failed request shows as a console error too (a 400 for a validation error is expected); scripts' own errors not.
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) pageErrors.push(msg.text());
  });
});

afterAll(async () => {
  if (available) console.info(`[dashboard test] screenshots in ${screenshots}`);
  await browser?.close();
  await server?.stop();
  await cleanup();
});

const superuserToken = async () => {
  const res = await fetch(`${server.url}/api/collections/_superusers/auth-with-password`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identity: ADMIN.email, password: ADMIN.password }),
  });
  return ((await res.json()) as { token: string }).token;
};

const rows = () => page.locator('table.records tbody tr');
const signOutButton = () => page.getByRole('button', { name: 'Sign out' });
const signInHeading = () => page.getByRole('heading', { name: 'Sign in' });

async function signIn() {
  await signInHeading().waitFor();
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await signOutButton().waitFor();
}

/** Puts a session in the browser's storage as the SDK keeps it, from a page of the server that is not the dashboard. */
async function storeSession(token: string) {
  await page.goto(`${server.url}/api/health`);
  await page.evaluate(
    (value) => (globalThis as any).localStorage.setItem('pocketbase_auth', value),
    JSON.stringify({ token, record: { id: 'x', collectionName: '_superusers', email: 'x@example.com' } }),
  );
}

describe.skipIf(!available)('the dashboard in Chromium', () => {
  it('the installer link creates the first superuser and lands signed in', async () => {
    const link = /http:\/\/127\.0\.0\.1:\d+\/_\/#\/pbinstall\/[\w.-]+/.exec(server.output())?.[0];
    expect(link, server.output()).toBeDefined();
    await page.goto(link!);
    await page.getByRole('heading', { name: 'Create the first superuser' }).waitFor();
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Confirm password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('The superuser was created.').waitFor();
    await signOutButton().waitFor();
    // The single-use token is not left in the address.
    expect(page.url()).not.toContain('pbinstall');
    await page.getByRole('link', { name: 'posts' }).waitFor();
  });

  it('a reload keeps the session, and renews its token', async () => {
    await page.goto(`${server.url}/_/#/collections/posts`);
    const refresh = page.waitForResponse((r) => r.url().endsWith('/api/collections/_superusers/auth-refresh'));
    await page.reload();
    expect((await refresh).status()).toBe(200);
    await page.getByRole('heading', { name: 'posts' }).waitFor();
    await expect.poll(() => signOutButton().isVisible()).toBe(true);
  });

  it('signing out shows the sign-in form, and signing in returns to the same page', async () => {
    await signOutButton().click();
    await signInHeading().waitFor();
    expect(await page.evaluate(() => (globalThis as any).localStorage.getItem('pocketbase_auth'))).toBeNull();
    await signIn();
    await page.getByRole('heading', { name: 'posts' }).waitFor();
  });

  it('a stored session the server refuses goes to sign-in, then back to where the person was', async () => {
    // Coming back later with a token that is well-formed and not expired, but that the server rejects (bad
    // signature), as after a password change: it is stored before the dashboard loads.
    const payload = Buffer.from(
      JSON.stringify({ exp: Math.floor(Date.now() / 1000) + 3600, type: 'auth', collectionId: 'x' }),
    ).toString('base64url');
    await storeSession(`eyJhbGciOiJIUzI1NiJ9.${payload}.bad-signature`);
    await page.goto(`${server.url}/_/#/logs`);
    await page.getByText('Your session has ended.').waitFor();
    // A wrong password is refused with the server's message, and the form stays.
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('p.error').textContent()).toMatch(/\S/);
    await signIn();
    await page.getByRole('heading', { name: 'Logs' }).waitFor();
    expect(page.url()).toContain('#/logs');
  });

  it('an expired stored session goes to sign-in without asking the server', async () => {
    const payload = Buffer.from(JSON.stringify({ exp: Math.floor(Date.now() / 1000) - 60, type: 'auth' })).toString(
      'base64url',
    );
    await storeSession(`eyJhbGciOiJIUzI1NiJ9.${payload}.sig`);
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByText('Your session has ended.').waitFor();
    await signIn();
    await page.getByRole('heading', { name: 'posts' }).waitFor();
  });

  it('a record created through the form appears in the table', async () => {
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('link', { name: 'New record' }).click();
    await page.locator('#field-title').fill('First post');
    await page.locator('#field-body').fill('Hello\nworld');
    await page.locator('#field-views').fill('42');
    await page.locator('#field-published').check();
    await page.locator('#field-contact').fill('ann@example.com');
    await page.locator('#field-link').fill('https://example.com/a');
    await page.locator('#field-when').fill('2025-01-03T12:30');
    await page.locator('#field-status').selectOption('live');
    await page.getByRole('checkbox', { name: 'howto' }).check();
    await page.getByRole('checkbox', { name: 'misc' }).check();
    await page.locator('#field-meta').fill('{"a": [1, 2]}');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByText(/Saved record \w+/).waitFor();
    await rows().filter({ hasText: 'First post' }).waitFor();

    const res = await fetch(`${server.url}/api/collections/posts/records`, {
      headers: { Authorization: await superuserToken() },
    });
    const [stored] = ((await res.json()) as { items: Record<string, unknown>[] }).items;
    expect(stored).toMatchObject({
      title: 'First post',
      body: 'Hello\nworld',
      views: 42,
      published: true,
      contact: 'ann@example.com',
      link: 'https://example.com/a',
      status: 'live',
      tags: ['howto', 'misc'],
      meta: { a: [1, 2] },
    });
    expect(stored!.when).toMatch(/^2025-01-0[34] \d\d:30:00\.000Z$/);
  });

  it("the server's validation error shows next to its field, and bad JSON next to the JSON field", async () => {
    await page.getByRole('link', { name: 'New record' }).click();
    await page.locator('#field-meta').fill('{not json');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expect.poll(() => page.locator('#field-meta-error').textContent()).toContain('JSON');

    await page.locator('#field-meta').fill('');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    // title is required: the server answers 400 with data.title.message, shown by the title input.
    await page.locator('#field-title-error').waitFor();
    await expect.poll(() => page.locator('#field-title-error').textContent()).toMatch(/\S/);
    await expect.poll(() => page.locator('#field-title').getAttribute('aria-invalid')).toBe('true');
    await page.getByRole('link', { name: 'Close' }).click();
  });

  it('a record is edited; a file uploaded to it is listed with a link, then removed', async () => {
    await rows().filter({ hasText: 'First post' }).getByRole('link').first().click();
    await page.locator('#field-title').fill('First post, edited');
    await page.locator('#field-docs').setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('some notes'),
    });
    await page.getByRole('button', { name: 'Save changes' }).click();
    await rows().filter({ hasText: 'First post, edited' }).waitFor();

    await rows().filter({ hasText: 'First post, edited' }).getByRole('link').first().click();
    const fileLink = page.locator('ul.files a').first();
    await fileLink.waitFor();
    expect(await fileLink.textContent()).toMatch(/^notes\w*\.txt$/);
    const served = await fetch(new URL((await fileLink.getAttribute('href'))!, server.url));
    expect(await served.text()).toBe('some notes');
    await page.screenshot({ path: join(screenshots, 'record-form.png'), fullPage: true });

    // Removing it: the file is marked, and gone from the record once saved.
    const fileName = (await fileLink.textContent())!;
    await page.getByRole('button', { name: `Remove ${fileName}` }).click();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Saved record \w+/).waitFor();
    const res = await fetch(
      `${server.url}/api/collections/posts/records?filter=${encodeURIComponent('title = "First post, edited"')}`,
      {
        headers: { Authorization: await superuserToken() },
      },
    );
    expect(((await res.json()) as { items: { docs: string[] }[] }).items[0]!.docs).toEqual([]);
  });

  it('a filter in the filter language narrows the table, and sorting by a column orders it', async () => {
    const token = await superuserToken();
    for (const title of ['alpha one', 'beta two']) {
      const res = await fetch(`${server.url}/api/collections/posts/records`, {
        method: 'POST',
        headers: { Authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      expect(res.status).toBe(200);
    }
    await page.goto(`${server.url}/_/#/collections`);
    await page.goto(`${server.url}/_/#/collections/posts`);
    await rows().nth(2).waitFor();
    expect(await rows().count()).toBe(3);
    // Newest first by default.
    await expect.poll(() => rows().first().textContent()).toContain('beta two');

    await page.locator('table.records th').getByRole('button', { name: 'title', exact: true }).click();
    await expect.poll(async () => rows().first().textContent()).toContain('First post, edited');

    // The field names are offered under the filter box; a click puts one at the cursor.
    await page.getByRole('group', { name: 'Insert a field name' }).getByRole('button', { name: 'title' }).click();
    await expect.poll(() => page.getByLabel('Filter').inputValue()).toBe('title');
    await page.getByLabel('Filter').press('End');
    await page.getByLabel('Filter').pressSequentially(' ~ "alpha"');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    await expect.poll(() => rows().first().textContent()).toContain('alpha one');

    await page.getByLabel('Filter').fill('nosuchfield = 1');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('#records-error').waitFor();

    await page.getByLabel('Filter').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => rows().count()).toBe(3);

    await page.screenshot({ path: join(screenshots, 'records.png'), fullPage: true });
  });

  it('a record is deleted after a confirmation', async () => {
    await rows().filter({ hasText: 'beta two' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByText(/Delete record \w+ of posts\?/).waitFor();
    await page.getByRole('button', { name: 'Yes, delete it' }).click();
    await page.getByText(/Deleted record \w+/).waitFor();
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => rows().filter({ hasText: 'beta two' }).count()).toBe(0);
  });

  it('an auth record is created with a password and its confirmation', async () => {
    await page.goto(`${server.url}/_/#/collections/users/new`);
    await page.locator('#field-email').fill('zoe@example.com');
    await page.locator('#field-username').fill('zoe');
    await page.locator('#field-password').fill('zoe-password-1');
    await page.locator('#field-passwordConfirm').fill('zoe-password-1');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await rows().filter({ hasText: 'zoe@example.com' }).waitFor();
    // The password column never shows, and the user can sign in with what the form set.
    await expect.poll(() => page.locator('table.records th').filter({ hasText: 'password' }).count()).toBe(0);
    const res = await fetch(`${server.url}/api/collections/users/auth-with-password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identity: 'zoe@example.com', password: 'zoe-password-1' }),
    });
    expect(res.status).toBe(200);
  });

  it("an auth record's account actions: a verification mail, a password-reset mail, and a token to sign in as it", async () => {
    const outbox = join(server.dataDir, 'outbox');
    const mails = () => (existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith('.eml')).length : 0);
    const before = mails();
    await rows().filter({ hasText: 'zoe@example.com' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Send verification mail' }).click();
    await page.getByText('Verification mail sent to zoe@example.com: done.').waitFor();
    await page.getByRole('button', { name: 'Send password-reset mail' }).click();
    await page.getByText('Password-reset mail sent to zoe@example.com: done.').waitFor();
    await expect.poll(mails).toBe(before + 2);
    await page.getByRole('button', { name: 'Sign in as this user' }).click();
    const token = await page.getByLabel(/^Token/).inputValue();
    // The token is the user's: it reads the user's own record; the dashboard stays signed in as the superuser.
    const me = await fetch(`${server.url}/api/collections/users/auth-refresh`, {
      method: 'POST',
      headers: { Authorization: token },
    });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { record: { email: string } }).record.email).toBe('zoe@example.com');
    await signOutButton().waitFor();
  });

  it("a collection's API: its routes with a curl and a JS SDK example made of its real fields", async () => {
    await page.goto(`${server.url}/_/#/collections/posts`);
    await page.getByRole('link', { name: 'API', exact: true }).click();
    const create = page.getByRole('article', { name: 'POST /api/collections/posts/records' });
    await create.waitFor();
    const samples = await create.locator('pre').allTextContents();
    expect(samples.find((s) => s.includes('curl'))).toContain('"title"');
    expect(samples.find((s) => s.includes("pb.collection('posts')"))).toContain('title');
    await page.getByRole('article', { name: 'GET /api/collections/posts/records/{id}' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'api-preview.png'), fullPage: true });
  });

  it('Settings > Application saves the application name', async () => {
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByLabel('Application name').fill('Zoo Admin');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const res = await fetch(`${server.url}/api/settings`, { headers: { Authorization: await superuserToken() } });
    expect(((await res.json()) as { meta: { appName: string } }).meta.appName).toBe('Zoo Admin');
  });

  it('Settings > Mail saves an SMTP server (its password kept, never shown) and sends a test mail through it', async () => {
    const smtp = await fakeSmtp();
    try {
      await page.getByRole('link', { name: 'Mail (SMTP)' }).click();
      await page.getByLabel('Send mail through this SMTP server').check();
      await page.getByLabel('Host', { exact: true }).fill('127.0.0.1');
      await page.getByLabel('Port', { exact: true }).fill(String(smtp.port));
      await page.getByLabel('Username', { exact: true }).fill('mailer');
      await page.getByLabel('Password', { exact: true }).fill('smtp-secret');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
      // The password is stored but not sent back: the input is empty again, and saving leaves the password as is.
      await expect.poll(() => page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
      const stored = (await (
        await fetch(`${server.url}/api/settings`, { headers: { Authorization: await superuserToken() } })
      ).json()) as any;
      expect(stored.smtp).toMatchObject({ enabled: true, host: '127.0.0.1', port: smtp.port, username: 'mailer' });
      expect(JSON.stringify(stored)).not.toContain('smtp-secret');
      await page.getByLabel('Send a test mail to').fill('ops@example.com');
      await page.getByRole('button', { name: 'Send test mail' }).click();
      await page.getByText('A test mail was sent to ops@example.com.').waitFor();
      expect(smtp.messages.map((m) => m.to.join())).toEqual([expect.stringContaining('ops@example.com')]);
      // Off again, so the mails of later tests stay in the outbox.
      await page.getByLabel('Send mail through this SMTP server').uncheck();
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByText('Settings saved.').waitFor();
    } finally {
      smtp.server.close();
    }
  });

  it('Settings > Rate limits: a rule the server refuses shows its message beside it; a good one is saved', async () => {
    await page.getByRole('link', { name: 'Rate limits' }).click();
    const count = await page.locator('table.rules tbody tr').count();
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.getByLabel(`Rule ${count + 1} label`).fill('not a label!');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('table.rules tbody tr').last().locator('.field-error').waitFor();
    await page.getByLabel(`Rule ${count + 1} label`).fill('/api/collections/posts/');
    await page.getByLabel(`Rule ${count + 1} max requests`).fill('7');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const stored = (await (
      await fetch(`${server.url}/api/settings`, { headers: { Authorization: await superuserToken() } })
    ).json()) as any;
    expect(stored.rateLimits.rules).toContainEqual({
      label: '/api/collections/posts/',
      audience: '',
      duration: 60,
      maxRequests: 7,
    });
  });

  it('Settings > Scheduled jobs lists the built-in jobs and runs one now', async () => {
    await page.getByRole('link', { name: 'Scheduled jobs' }).click();
    await page.getByRole('cell', { name: '__pbLogsCleanup__', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Run __pbLogsCleanup__ now' }).click();
    await page.getByText('Ran __pbLogsCleanup__.').waitFor();
  });

  it('Logs lists requests newest first, filters them and shows one in detail', async () => {
    await page.getByRole('link', { name: 'Logs' }).click();
    // The page before (scheduled jobs) has a table too: wait for the logs page and its rows.
    await page.getByRole('heading', { name: 'Logs', exact: true }).waitFor();
    await expect.poll(() => rows().count()).toBeGreaterThan(1);
    const times = await page.locator('table.records tbody tr td:first-child').allTextContents();
    expect(times.length).toBeGreaterThan(1);
    expect([...times].sort().reverse()).toEqual(times);
    await page.getByLabel('Filter').fill('data.status = 400');
    await page.getByRole('button', { name: 'Search' }).click();
    // Only the 400s are left (the validation error and the bad filter earlier).
    const statuses = () => page.locator('table.records tbody tr td:nth-child(4)').allTextContents();
    await expect.poll(async () => [...new Set(await statuses())]).toEqual(['400']);
    // The chart of requests per hour counts what the filter keeps: as many as the list shows.
    const shown = (await statuses()).length;
    await page.getByRole('img', { name: new RegExp(`^Requests per hour: ${shown} in`) }).waitFor();
    await rows().first().getByRole('link').click();
    await page.getByRole('heading', { name: 'Log entry' }).waitFor();
    await expect.poll(() => page.locator('aside pre').textContent()).toContain('"status": 400');
    await page.screenshot({ path: join(screenshots, 'logs.png'), fullPage: true });
  });

  it('Backups creates one, offers it for download and deletes it after a confirmation', async () => {
    await page.getByRole('link', { name: 'Backups' }).click();
    await page.getByText('No backups yet.').waitFor({ timeout: 5000 });
    await page.getByRole('button', { name: 'Create backup' }).click();
    await rows().first().waitFor({ timeout: 20_000 });
    const name = (await rows().first().locator('td').first().textContent())!;
    expect(name).toMatch(/\.zip$/);
    await page.screenshot({ path: join(screenshots, 'backups.png'), fullPage: true });
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 5000 }),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No backups yet.').waitFor();
  });

  it('Backups restores one: the data goes back to the backup and the page comes back by itself', async () => {
    await page.getByRole('button', { name: 'Create backup' }).click();
    await rows().first().waitFor({ timeout: 20_000 });
    const token = await superuserToken();
    const later = await fetch(`${server.url}/api/collections/posts/records`, {
      method: 'POST',
      headers: { Authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'made after the backup' }),
    });
    expect(later.status).toBe(200);
    await page.getByRole('button', { name: 'Restore' }).click();
    await page.getByRole('button', { name: 'Yes, restore' }).click();
    await page.getByText(/The server is restarting/).waitFor();
    // The page reloads once the server answers again; the backup's superuser is the same, so the session holds.
    await page.waitForEvent('load', { timeout: 30_000 });
    await page.getByRole('heading', { name: 'Backups' }).waitFor();
    const res = await fetch(
      `${server.url}/api/collections/posts/records?filter=${encodeURIComponent('title = "made after the backup"')}`,
      { headers: { Authorization: await superuserToken() } },
    );
    expect(((await res.json()) as { totalItems: number }).totalItems).toBe(0);
    // Cleaned up for the tests after this one.
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByText('No backups yet.').waitFor();
  });

  it('a collection of more than a page is paged', async () => {
    const token = await superuserToken();
    for (let n = 1; n <= 31; n++) {
      const res = await fetch(`${server.url}/api/collections/items/records`, {
        method: 'POST',
        headers: { Authorization: token, 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      });
      expect(res.status).toBe(200);
    }
    await page.goto(`${server.url}/_/#/collections/items`);
    await page.getByText('Page 1 of 2 · 31 records').waitFor();
    expect(await rows().count()).toBe(30);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2 of 2 · 31 records').waitFor();
    expect(await rows().count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Next' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1 of 2 · 31 records').waitFor();
  });

  it('selected records are deleted together after a confirmation that counts them', async () => {
    // On page 1 of items (31 records, newest first): select two rows and delete them.
    await page.getByText('Page 1 of 2 · 31 records').waitFor();
    const firstTwo = [await rows().nth(0).locator('a').innerText(), await rows().nth(1).locator('a').innerText()];
    for (const id of firstTwo) await page.getByRole('checkbox', { name: `Select record ${id}` }).check();
    await page.getByText('2 selected').waitFor();
    await page.getByRole('button', { name: 'Delete selected' }).click();
    await page.getByText('Delete 2 records of items? Their values and files are lost.').waitFor();
    await page.getByRole('button', { name: 'Yes, delete 2' }).click();
    await page.getByText('Deleted 2 records.').waitFor();
    await page.getByText('Page 1 of 1 · 29 records').waitFor();
    const token = await superuserToken();
    for (const id of firstTwo) {
      const res = await fetch(`${server.url}/api/collections/items/records/${id}`, {
        headers: { Authorization: token },
      });
      expect(res.status).toBe(404);
    }
    // "Select all" takes every row of the page; clearing the selection deletes nothing.
    await page.getByRole('checkbox', { name: 'Select all records on this page' }).check();
    await page.getByText('29 selected').waitFor();
    await page.getByRole('button', { name: 'Clear selection' }).click();
    await expect.poll(() => page.getByText(/\d+ selected/).count()).toBe(0);
    await page.getByText('Page 1 of 1 · 29 records').waitFor();
  });

  it('the open table follows changes made elsewhere (realtime), without a reload', async () => {
    await page.getByText('Page 1 of 1 · 29 records').waitFor();
    const token = await superuserToken();
    const created = await fetch(`${server.url}/api/collections/items/records`, {
      method: 'POST',
      headers: { Authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({ n: 4242 }),
    });
    const { id } = (await created.json()) as { id: string };
    await page.getByText('Page 1 of 1 · 30 records').waitFor();
    // Found by its id (a bare number can also appear in another row's time stamp).
    const row = page.getByRole('row', { name: `Select record ${id}` });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('4242');
    await fetch(`${server.url}/api/collections/items/records/${id}`, {
      method: 'DELETE',
      headers: { Authorization: token },
    });
    await page.getByText('Page 1 of 1 · 29 records').waitFor();
    await expect.poll(() => row.count()).toBe(0);
  });

  it('an image in a file field shows in the table as a thumbnail the server made', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const form = new FormData();
    form.append('title', 'With a picture');
    form.append('docs', new Blob([png], { type: 'image/png' }), 'picture.png');
    const res = await fetch(`${server.url}/api/collections/posts/records`, {
      method: 'POST',
      headers: { Authorization: await superuserToken() },
      body: form,
    });
    expect(res.status).toBe(200);
    await page.goto(`${server.url}/_/#/collections/posts`);
    const thumb = rows().filter({ hasText: 'With a picture' }).locator('.file-cell img');
    await thumb.waitFor();
    expect(await thumb.getAttribute('src')).toMatch(/\/api\/files\/.+\/picture\w*\.png\?thumb=100x100$/);
    // Loaded, and 100 pixels wide: the thumbnail, not the 300-pixel original.
    const loadedWidth = () =>
      thumb.evaluate((img) => {
        const image = img as unknown as { complete: boolean; naturalWidth: number };
        return image.complete ? image.naturalWidth : 0;
      });
    await expect.poll(loadedWidth).toBe(100);
    await page.screenshot({ path: join(screenshots, 'records-thumbnail.png') });
  });

  it('a relation is chosen by searching the related collection, and shown by name', async () => {
    const token = await superuserToken();
    const made = await fetch(`${server.url}/api/collections/users/records`, {
      method: 'POST',
      headers: { Authorization: token, 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'ann.author@example.com',
        name: 'Ann Author',
        password: 'password-123',
        passwordConfirm: 'password-123',
      }),
    });
    const ann = (await made.json()) as { id: string };
    await page.goto(`${server.url}/_/#/collections/posts`);
    await rows().filter({ hasText: 'With a picture' }).getByRole('link').first().click();
    // A chosen image shows a preview before it is sent; choosing nothing again clears it.
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#36c' } })
      .png()
      .toBuffer();
    await page.locator('#field-docs').setInputFiles({ name: 'new-picture.png', mimeType: 'image/png', buffer: png });
    await page.getByRole('img', { name: 'Preview of new-picture.png' }).waitFor();
    await page.locator('#field-docs').setInputFiles([]);
    await expect.poll(() => page.getByRole('list', { name: 'Files to upload' }).count()).toBe(0);
    await page.locator('#field-author').fill('Ann');
    await page.getByRole('button', { name: /Ann Author/ }).click();
    await page.getByRole('list', { name: 'Chosen for author' }).getByText('Ann Author').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByText(/Saved record \w+/).waitFor();
    const res = await fetch(
      `${server.url}/api/collections/posts/records?filter=${encodeURIComponent('title = "With a picture"')}`,
      { headers: { Authorization: token } },
    );
    expect(((await res.json()) as { items: { author: string }[] }).items[0]!.author).toBe(ann.id);
    // Opened again, the relation shows the name, and can be removed.
    await page.reload();
    await rows().filter({ hasText: 'With a picture' }).getByRole('link').first().click();
    await page.getByRole('list', { name: 'Chosen for author' }).getByText('Ann Author').waitFor();
    await page.getByRole('button', { name: 'Remove Ann Author' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'Chosen for author' }).count()).toBe(0);
  });

  it('the table names related records, lets columns be hidden (kept across a reload), and a record be duplicated', async () => {
    await page.goto(`${server.url}/_/#/collections/posts`);
    // The relation column shows the related user's name, not the id.
    const pictured = rows().filter({ hasText: 'With a picture' });
    await pictured.getByText('Ann Author').waitFor();
    // Hide the body column; it stays hidden after a reload.
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'body', exact: true }).uncheck();
    await expect.poll(() => page.locator('table.records th').filter({ hasText: /^body/ }).count()).toBe(0);
    await page.reload();
    await rows().first().waitFor();
    await expect.poll(() => page.locator('table.records th').filter({ hasText: /^body/ }).count()).toBe(0);
    await page.getByText('Columns', { exact: true }).click();
    await page.getByRole('checkbox', { name: 'body', exact: true }).check();
    await page.locator('table.records th').filter({ hasText: /^body/ }).waitFor();
    // Duplicate: a new record starts with the values of the one it copies.
    await rows().filter({ hasText: 'First post, edited' }).getByRole('link').first().click();
    await page.getByRole('button', { name: 'Duplicate' }).click();
    // The form fills in once the copied record has loaded.
    await expect.poll(() => page.locator('#field-title').inputValue()).toBe('First post, edited');
    await expect.poll(() => page.locator('#field-views').inputValue()).toBe('42');
    await page.locator('#field-title').fill('Second post, copied');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await rows().filter({ hasText: 'Second post, copied' }).waitFor();
    const copy = await fetch(
      `${server.url}/api/collections/posts/records?filter=${encodeURIComponent('title = "Second post, copied"')}`,
      { headers: { Authorization: await superuserToken() } },
    );
    expect(((await copy.json()) as { items: { views: number; body: string }[] }).items[0]).toMatchObject({
      views: 42,
      body: expect.stringMatching(/^Hello\s+world$/),
    });
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { Authorization: await superuserToken(), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json().catch(() => null)) as any };
  };
  const review = () => page.getByRole('region', { name: 'What this change does' });

  it('a new collection is made in the schema editor, reviewed, then applied', async () => {
    await page.goto(`${server.url}/_/#/collections`);
    await page.getByRole('link', { name: 'New', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('tasks');
    await page.getByLabel('New field of type').selectOption('text');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 2 name').fill('label');
    await page.getByLabel('New field of type').selectOption('number');
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByLabel('Field 3 name').fill('points');
    // Open to everyone for listing: unlock the rule and leave it empty.
    await page.locator('.rule', { hasText: 'listRule' }).getByLabel('locked (superusers only)').uncheck();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review().getByText('A table "tasks" is created with 5 fields.').waitFor();
    await review()
      .getByText(/writes .*tasks\.json/)
      .waitFor();
    // Nothing exists before Apply.
    expect((await api('GET', '/api/collections/tasks')).status).toBe(404);
    await page.screenshot({ path: join(screenshots, 'schema-review.png'), fullPage: true });
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection tasks.').waitFor();
    await page.getByRole('heading', { name: 'tasks' }).waitFor();
    const { json } = await api('GET', '/api/collections/tasks');
    expect(json.fields.map((f: any) => `${f.name}:${f.type}`)).toEqual(
      expect.arrayContaining(['label:text', 'points:number']),
    );
    expect(json.listRule).toBe('');
    expect(json.viewRule).toBeNull();
  });

  it("the server's refusal shows next to the rule it concerns, and nothing is applied", async () => {
    await page.getByRole('link', { name: 'Edit collection' }).click();
    await page.locator('.rule', { hasText: 'viewRule' }).getByLabel('locked (superusers only)').uncheck();
    await page.locator('#rule-viewRule').fill('nosuchfield = 1');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.locator('#rule-viewRule-error').waitFor();
    expect(await page.locator('#rule-viewRule-error').innerText()).toMatch(/nosuchfield/);
    await expect.poll(() => review().count()).toBe(0);
    // A name offered under the rule is inserted into it.
    await page.locator('#rule-viewRule').fill('');
    await page.locator('.rule', { hasText: 'viewRule' }).getByRole('button', { name: 'label' }).click();
    await expect.poll(() => page.locator('#rule-viewRule').inputValue()).toBe('label');
    expect((await api('GET', '/api/collections/tasks')).json.viewRule).toBeNull();
  });

  it('a field rename, a new field and a removed field holding values: the review says what is lost', async () => {
    await api('POST', '/api/collections/tasks/records', { label: 'keep me', points: 3 });
    // A fresh page: the unsaved draft of the test before is left behind.
    await page.goto(`${server.url}/_/#/collections/tasks/schema`);
    await page.reload();
    // Stored in the server's order: id, label, points, then created and updated.
    await expect.poll(() => page.getByLabel('Field 2 name').inputValue()).toBe('label');
    await page.getByLabel('Field 2 name').fill('title');
    await page.getByRole('button', { name: 'Remove points' }).click();
    await page.getByRole('button', { name: 'Add field' }).click();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review().getByText('The field "label" is renamed to "title"; its values are kept.').waitFor();
    await review()
      .getByText(/The field "points" is removed: the values of 1 record\(s\) are lost/)
      .waitFor();
    await review()
      .getByText(/The field "field\d+" \(\w+\) is added/)
      .waitFor();
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection tasks.').waitFor();
    const list = await api('GET', '/api/collections/tasks/records');
    expect(list.json.items[0]).toMatchObject({ title: 'keep me' });
    expect(list.json.items[0]).not.toHaveProperty('points');
  });

  it('a collection is duplicated, emptied and deleted, each loss confirmed first', async () => {
    await page.goto(`${server.url}/_/#/collections/tasks/schema`);
    await page.getByRole('button', { name: 'Duplicate' }).click();
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue()).toBe('tasks_copy');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection tasks_copy.').waitFor();
    expect((await api('GET', '/api/collections/tasks_copy')).json.fields.map((f: any) => f.name)).toContain('title');

    await page.goto(`${server.url}/_/#/collections/tasks/schema`);
    await page.getByRole('button', { name: 'Empty the collection' }).click();
    await page
      .getByText('Delete all 1 records of tasks? Their values and files are lost; the collection stays.')
      .waitFor();
    await page.getByRole('button', { name: 'Yes, empty it' }).click();
    await page.getByText('Deleted every record of tasks.').waitFor();
    expect((await api('GET', '/api/collections/tasks/records')).json.totalItems).toBe(0);

    await page.goto(`${server.url}/_/#/collections/tasks_copy/schema`);
    await page.getByRole('button', { name: 'Delete the collection' }).click();
    await page.getByText('The table "tasks_copy" is deleted with its 0 record(s) and their files.').waitFor();
    await page.getByRole('button', { name: 'Yes, delete the collection' }).click();
    await page.getByText('Deleted collection tasks_copy.').waitFor();
    expect((await api('GET', '/api/collections/tasks_copy')).status).toBe(404);
    await expect.poll(() => page.locator('.collection-list').getByText('tasks_copy').count()).toBe(0);
  });

  it('a collection with one field of each type lands in its collection file', async () => {
    const types: [string, Record<string, unknown>?][] = [
      ['text'],
      ['editor'],
      ['number'],
      ['bool'],
      ['email'],
      ['url'],
      ['date'],
      ['autodate', { onCreate: true, onUpdate: false }],
      ['select', { values: ['red', 'green'], maxSelect: 2 }],
      ['file', { maxSelect: 1, maxSize: 1000000 }],
      ['relation', { collectionId: '_pb_users_auth_', maxSelect: 1 }],
      ['json'],
      ['geoPoint'],
    ];
    await page.goto(`${server.url}/_/#/collections/~new/schema`);
    await page.getByLabel('Name', { exact: true }).fill('everything');
    for (const [i, [type, options]] of types.entries()) {
      await page.getByLabel('New field of type').selectOption(type);
      await page.getByRole('button', { name: 'Add field' }).click();
      // After id (field 1): the new ones, before created and updated.
      const n = i + 2;
      await page.getByLabel(`Field ${n} name`).fill(`f_${type}`);
      if (options) {
        const row = page.locator('li.field-row').nth(n - 1);
        await row.locator('summary').click();
        await row.locator('textarea').fill(JSON.stringify(options));
      }
    }
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review()
      .getByText(`A table "everything" is created with ${types.length + 3} fields.`)
      .waitFor();
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection everything.').waitFor();
    const file = JSON.parse(readFileSync(join(server.collectionsDir, 'everything.json'), 'utf8')) as {
      fields: { name: string; type: string; values?: string[] }[];
    };
    for (const [type] of types)
      expect(file.fields).toContainEqual(expect.objectContaining({ name: `f_${type}`, type }));
    expect(file.fields.find((f) => f.type === 'select')?.values).toEqual(['red', 'green']);
  });

  it('a collection is renamed (its records kept), and a view collection is made from a query', async () => {
    await page.goto(`${server.url}/_/#/collections/everything/schema`);
    await page.getByLabel('Name', { exact: true }).fill('every_type');
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review().getByText('The table "everything" is renamed to "every_type"; its records are kept.').waitFor();
    await review()
      .getByText(/deletes .*everything\.json/)
      .waitFor();
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection every_type.').waitFor();
    expect((await api('GET', '/api/collections/everything')).status).toBe(404);
    expect((await api('GET', '/api/collections/every_type')).status).toBe(200);

    await page.goto(`${server.url}/_/#/collections/~new/schema`);
    await page.getByLabel('Name', { exact: true }).fill('post_titles');
    await page.getByLabel('Type', { exact: true }).selectOption('view');
    await page.getByLabel('View query').fill('SELECT id, title FROM posts');
    await page.locator('.rule', { hasText: 'listRule' }).getByLabel('locked (superusers only)').uncheck();
    await page.getByRole('button', { name: 'Review changes' }).click();
    await review().getByText('The view "post_titles" is created.').waitFor();
    await review().getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Saved collection post_titles.').waitFor();
    const list = await fetch(`${server.url}/api/collections/post_titles/records`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { title: string }[] }).items.map((r) => r.title)).toContain('alpha one');
  });

  it('works from the keyboard: a filter applied with Enter, a record opened with Tab and Enter', async () => {
    await page.goto(`${server.url}/_/#/collections/posts`);
    await rows().first().waitFor();
    await page.getByLabel('Filter').focus();
    await page.keyboard.type('title ~ "alpha"');
    await page.keyboard.press('Enter');
    await expect.poll(() => rows().count()).toBe(1);
    // From the "select" checkbox of the row, Tab reaches the record's link; Enter opens its form.
    await rows().first().getByRole('checkbox').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /^Edit record/ }).waitFor();
    await page.getByLabel('Filter').fill('');
    await page.keyboard.press('Enter');
  });

  it('reads in the dark scheme and on a 390-pixel phone screen, with nothing wider than the screen', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.url}/_/#/collections/posts`);
    await rows().first().waitFor();
    const background = await page
      .locator('body')
      .evaluate((body) => (globalThis as any).getComputedStyle(body).backgroundColor);
    expect(background).not.toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: join(screenshots, 'records-dark.png'), fullPage: true });
    await page.goto(`${server.url}/_/#/collections/posts/schema`);
    await page.getByRole('heading', { name: 'Edit posts' }).waitFor();
    await page.screenshot({ path: join(screenshots, 'schema-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    for (const route of ['collections/posts', 'collections/posts/schema', 'settings/mail', 'logs', 'backups']) {
      await page.goto(`${server.url}/_/#/${route}`);
      await page.waitForLoadState('networkidle');
      const wider = await page
        .locator('html')
        .evaluate((html) => (html as unknown as { scrollWidth: number }).scrollWidth);
      expect(wider, route).toBeLessThanOrEqual(390);
      await page.screenshot({ path: join(screenshots, `phone-${route.replaceAll('/', '-')}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('no script error happened in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
