// Hono picks its fast router (RegExpRouter) only when every route fits it; one route with a static segment beside
// a parameter at the same place (for one method) sends every request through the slower trie router, which
// costs each request several µs. This keeps Satchel's own routes fitting it, and the routes it folds into a
// parameter answering as before.
import { SmartRouter } from 'hono/router/smart-router';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { superuserToken } from '../helpers/auth.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([{ name: 'notes', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] }]));
});
afterAll(() => cleanup());

it("Satchel's own routes fit Hono's RegExpRouter", async () => {
  expect((await app.hono.request('/api/collections/notes/records')).status).toBe(200);
  const router = app.hono.router as SmartRouter<unknown>;
  expect(router.activeRouter.name).toBe('RegExpRouter');
});

it('the routes folded into a parameter answer as their own routes did', async () => {
  const token = await superuserToken(app);
  const headers = { Authorization: token };
  const scaffolds = await app.hono.request('/api/collections/meta/scaffolds', { headers });
  expect(scaffolds.status).toBe(200);
  expect(Object.keys((await scaffolds.json()) as object).sort()).toEqual(['auth', 'base', 'view']);
  expect((await app.hono.request('/api/collections/notes/scaffolds', { headers })).status).toBe(404);
  expect((await app.hono.request('/api/logs/stats', { headers })).status).toBe(200);
  expect((await app.hono.request('/api/logs/stats')).status).toBe(401);
  expect((await app.hono.request('/api/backups/nope', { method: 'POST', headers })).status).toBe(404);
  const upload = await app.hono.request('/api/backups/upload', { method: 'POST', headers, body: new FormData() });
  expect(upload.status).toBe(400);
});
