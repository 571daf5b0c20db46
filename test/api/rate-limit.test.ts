// Rate limits: PocketBase's rules by label in the settings, per client IP, 429 with Retry-After; on by default
// for sign-in, sign-up and guests' creates; memory bounded.
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { rateLimit } from '../../src/api/middlewares/rate-limit.js';
import { DEFAULT_RATE_LIMIT_RULES } from '../../src/core/settings/schema.js';
import { memberCollection, signUp, superuserToken } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

const usersDefinition = JSON.parse(readFileSync(new URL('../../collections/users.json', import.meta.url), 'utf8'));
const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'body', type: 'text' }] };
const signInBody = { identity: 'nobody@example.com', password: 'wrong-password' };

/** Replaces the rate-limit rules in the settings, as PATCH /api/settings does. */
const setRules = (app: SatchelApp, rules: Record<string, unknown>[], extra: Record<string, unknown> = {}) =>
  app.settings.update({ rateLimits: { enabled: true, rules, ...extra } });

describe('rules from the settings', () => {
  let app: SatchelApp;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ app, cleanup } = await tempApp([usersDefinition, memberCollection('members'), notes]));
  });
  afterAll(() => cleanup());

  const signIn = () =>
    send(app, { method: 'POST', url: '/api/collections/members/auth-with-password', body: signInBody });
  const create = (token?: string) =>
    send(app, {
      method: 'POST',
      url: '/api/collections/notes/records',
      body: { body: 'x' },
      headers: token ? { authorization: token } : {},
    });

  it('sign-ins past *:auth get 429 with Retry-After, until the window passes; sign-up and mail requests count too', async () => {
    await setRules(app, [{ label: '*:auth', duration: 1, maxRequests: 3 }]);
    for (let i = 0; i < 3; i++) expect((await signIn()).status).toBe(400);
    const refused = await signIn();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toEqual({ status: 429, message: 'Too Many Requests.', data: {} });
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

  it('a rule for one collection wins over *:create; only the creates let through are stored', async () => {
    await setRules(app, [
      { label: 'notes:create', duration: 60, maxRequests: 2 },
      { label: '*:create', duration: 60, maxRequests: 1000 },
    ]);
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(200);
    const refused = await create();
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get('retry-after'));
    expect(retry).toBeGreaterThanOrEqual(1);
    expect(retry).toBeLessThanOrEqual(60);
    const list = (await (await send(app, { url: '/api/collections/notes/records' })).json()) as any;
    expect(list.totalItems).toBe(2);
  });

  it('audiences: a @guest rule leaves signed-in callers alone; superusers are never limited', async () => {
    await app.settings.update({ rateLimits: { enabled: false } });
    await signUp(app, 'members', { email: 'member@example.com', password: 'password-123' });
    const { token } = await signInAs('member@example.com');
    expect(token).toBeTruthy();
    await setRules(app, [{ label: '*:create', audience: '@guest', duration: 60, maxRequests: 1 }]);
    expect((await create()).status).toBe(200);
    expect((await create()).status).toBe(429);
    for (let i = 0; i < 3; i++) expect((await create(token)).status).toBe(200);
    const su = await superuserToken(app);
    await setRules(app, [{ label: '/api/', duration: 60, maxRequests: 1 }]);
    for (let i = 0; i < 3; i++) {
      expect((await send(app, { url: '/api/settings', headers: { authorization: su } })).status).toBe(200);
    }
  });

  it('a path prefix (/api/) covers every API route; excluded IPs are never limited', async () => {
    await setRules(app, [{ label: '/api/', duration: 60, maxRequests: 2 }]);
    expect((await send(app, { url: '/api/collections/notes/records' })).status).toBe(200);
    expect((await send(app, { url: '/api/health' })).status).toBe(200);
    expect((await send(app, { url: '/api/collections/notes/records' })).status).toBe(429);
    // Excluded addresses are matched against the socket's: through a real server on loopback.
    const server = await app.listen({ port: 0 });
    try {
      await setRules(app, [{ label: '/api/', duration: 60, maxRequests: 1 }], { excludedIPs: ['127.0.0.0/8'] });
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      await setRules(app, [{ label: '/api/', duration: 60, maxRequests: 1 }], { excludedIPs: ['10.0.0.1'] });
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(429);
    } finally {
      await server.close();
    }
  });

  it('enabled: false turns the rules off at once', async () => {
    await setRules(app, [{ label: '/api/', duration: 60, maxRequests: 1 }]);
    await app.settings.update({ rateLimits: { enabled: false } });
    for (let i = 0; i < 3; i++) expect((await send(app, { url: '/api/health' })).status).toBe(200);
  });

  it('bad rules are a 400 naming the path, and nothing changes', async () => {
    await setRules(app, [{ label: '*:auth', duration: 60, maxRequests: 20 }]);
    const su = await superuserToken(app);
    const patch = (body: unknown) =>
      send(app, { method: 'PATCH', url: '/api/settings', headers: { authorization: su }, body });
    const bad = await patch({
      rateLimits: { rules: [{ label: 'no spaces here', duration: 0, maxRequests: 1, audience: '@who' }] },
    });
    expect(bad.status).toBe(400);
    const data = ((await bad.json()) as any).data.rateLimits.rules['0'];
    expect(Object.keys(data).sort()).toEqual(['audience', 'duration', 'label']);
    const twice = await patch({
      rateLimits: {
        rules: [
          { label: '*:auth', duration: 1, maxRequests: 1 },
          { label: '*:auth', duration: 2, maxRequests: 2 },
        ],
        excludedIPs: ['10.0.0.300'],
      },
    });
    expect(twice.status).toBe(400);
    const body = ((await twice.json()) as any).data.rateLimits;
    expect(body.rules['1'].label.code).toBe('validation_conflicting_rate_limit_rule');
    expect(body.excludedIPs['0'].code).toBe('validation_invalid_value');
    expect(app.settings.get().rateLimits.rules).toEqual([
      { label: '*:auth', audience: '', duration: 60, maxRequests: 20 },
    ]);
  });

  const signInAs = async (email: string) =>
    (await send(app, {
      method: 'POST',
      url: '/api/collections/members/auth-with-password',
      body: { identity: email, password: 'password-123' },
    }).then((r) => r.json())) as { token: string };
});

describe('defaults', () => {
  it('sign-ins are limited out of the box (20 a minute); guests creates are, signed-in ones are not', async () => {
    const { app, cleanup } = await tempApp([memberCollection('members')]);
    try {
      expect(app.settings.get().rateLimits).toEqual({
        enabled: true,
        rules: DEFAULT_RATE_LIMIT_RULES,
        excludedIPs: [],
      });
      const statuses: number[] = [];
      for (let i = 0; i <= 20; i++) {
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

  it('rateLimit: false turns every limit off, and GET /api/settings says the option decides', async () => {
    const { app, cleanup } = await tempApp([notes], { rateLimit: false });
    try {
      await setRules(app, [{ label: '*:create', duration: 60, maxRequests: 1 }]);
      for (let i = 0; i < 3; i++) {
        expect(
          (await send(app, { method: 'POST', url: '/api/collections/notes/records', body: { body: `${i}` } })).status,
        ).toBe(200);
      }
      const su = await superuserToken(app);
      const shown = (await (await send(app, { url: '/api/settings', headers: { authorization: su } })).json()) as any;
      expect(shown.overriddenBy['rateLimits.enabled']).toMatch(/--rate-limit=off/);
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
