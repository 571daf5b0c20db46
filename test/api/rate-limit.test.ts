// Rate limits: per client IP, 429 with Retry-After, on by default for sign-in, sign-up and creates; memory bounded.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { DEFAULT_RATE_LIMITS } from '../../src/api/index.js';
import { rateLimit, type RateLimitRule } from '../../src/api/middlewares/rate-limit.js';
import { memberCollection } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

const usersDefinition = JSON.parse(readFileSync(new URL('../../collections/users.json', import.meta.url), 'utf8'));
const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'body', type: 'text' }] };
const signInBody = { identity: 'nobody@example.com', password: 'wrong-password' };

describe('configured limits', () => {
  let app: SatchelApp;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await tempApp([usersDefinition, memberCollection('members'), notes], {
      rateLimit: { auth: { max: 3, windowSeconds: 1 }, create: { max: 2, windowSeconds: 60 } },
    }));
  });
  afterAll(() => cleanup());

  const signIn = () =>
    send(app, { method: 'POST', url: '/api/collections/members/auth-with-password', body: signInBody });

  it('sign-ins past the limit get 429 with Retry-After, until the window passes', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn()).status).toBe(400);
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ status: 429, message: 'Too Many Requests.', data: {} });
    // The auth limit covers sign-up through PUT /user and the request-* flows as well.
    expect((await send(app, { method: 'PUT', url: '/user', body: {} })).status).toBe(429);
    const request = await send(app, {
      method: 'POST',
      url: '/api/collections/members/request-password-reset',
      body: { email: 'a@b.cd' },
    });
    expect(request.status).toBe(429);
    // Other routes are not limited.
    expect((await send(app, { url: '/api/collections/notes/records' })).status).toBe(200);
    expect((await send(app, { url: '/api/collections/members/auth-methods' })).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await signIn()).status).toBe(400);
  });

  it('creates past the limit get 429 with a Retry-After within the window', async () => {
    const create = () => send(app, { method: 'POST', url: '/api/collections/notes/records', body: { body: 'x' } });
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const refused = await create();
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    // Only the creates that were let through are stored.
    expect(((await send(app, { url: '/api/collections/notes/records' }).then((r) => r.json())) as any).totalItems).toBe(
      2,
    );
  });
});

describe('defaults', () => {
  it('sign-ins are limited out of the box', async () => {
    const { app, cleanup } = await tempApp([memberCollection('members')]);
    try {
      const statuses: number[] = [];
      for (let i = 0; i <= (DEFAULT_RATE_LIMITS.auth as RateLimitRule).max; i++) {
        statuses.push(
          (await send(app, { method: 'POST', url: '/api/collections/members/auth-with-password', body: signInBody }))
            .status,
        );
      }
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.slice(0, -1).every((s) => s === 400)).toBe(true);
    } finally {
      await cleanup();
    }
  });

  it('rateLimit: false turns every limit off', async () => {
    const { app, cleanup } = await tempApp([notes], { rateLimit: false });
    try {
      for (let i = 0; i <= (DEFAULT_RATE_LIMITS.create as RateLimitRule).max; i++) {
        expect(
          (await send(app, { method: 'POST', url: '/api/collections/notes/records', body: { body: `${i}` } })).status,
        ).toBe(200);
      }
    } finally {
      await cleanup();
    }
  });
});

describe('the middleware', () => {
  /** A request from `ip`, as @hono/node-server hands it over (the socket in the env). */
  const from = (hono: Hono, ip: string) => hono.request('/x', {}, { incoming: { socket: { remoteAddress: ip } } });

  it('counts each client IP on its own (IPv4-mapped addresses as IPv4)', async () => {
    const hono = new Hono();
    hono.use('*', rateLimit({ max: 1, windowSeconds: 60 }));
    hono.get('/x', (c) => c.text('ok'));
    expect((await from(hono, '10.0.0.1')).status).toBe(200);
    expect((await from(hono, '::ffff:10.0.0.1')).status).toBe(429);
    expect((await from(hono, '10.0.0.2')).status).toBe(200);
    expect((await from(hono, '127.0.0.1')).status).toBe(200);
    expect((await from(hono, '127.0.0.1')).status).toBe(429);
  });

  it('remembers at most maxClients clients, forgetting the oldest', async () => {
    const hono = new Hono();
    hono.use('*', rateLimit({ max: 1, windowSeconds: 60, maxClients: 2 }));
    hono.get('/x', (c) => c.text('ok'));
    expect((await from(hono, '10.0.0.1')).status).toBe(200);
    expect((await from(hono, '10.0.0.2')).status).toBe(200);
    expect((await from(hono, '10.0.0.2')).status).toBe(429);
    // A third client pushes the first one out: its count starts again.
    expect((await from(hono, '10.0.0.3')).status).toBe(200);
    expect((await from(hono, '10.0.0.1')).status).toBe(200);
  });
});
