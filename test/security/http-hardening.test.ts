// The review's other findings: CORS, response headers, typed passwords, sign-up under the auth limit, slow
// clients, connection caps, PocketBase JS hooks, and ids shared between auth collections.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { HookLoadError } from '../../src/load-hooks.js';
import { memberCollection } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [memberCollection('members'), { name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] }],
    { rateLimit: false },
  ));
});
afterAll(() => cleanup());

describe('CORS', () => {
  it('answers a preflight from any origin by default, as PocketBase does', async () => {
    const res = await app.hono.request('/api/collections/notes/records', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const get = await app.hono.request('/api/health', { headers: { origin: 'https://app.example.com' } });
    expect(get.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('allows only the configured origins when the operator restricts them', async () => {
    const other = await tempApp([], { origins: ['https://app.example.com'] });
    try {
      const ask = (origin: string) =>
        other.app.hono.request('/api/health', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      expect((await ask('https://app.example.com')).headers.get('access-control-allow-origin')).toBe(
        'https://app.example.com',
      );
      expect((await ask('https://evil.example.net')).headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await other.cleanup();
    }
  });
});

describe('response headers', () => {
  it('API answers, errors included, are data a browser will not sniff, frame or leak a referrer from', async () => {
    for (const url of ['/api/health', '/api/collections/notes/records', '/api/collections/nope/records']) {
      const res = await app.hono.request(url);
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
      expect(res.headers.get('content-security-policy'), url).toBe("default-src 'none'; frame-ancestors 'none'");
    }
    const page = await app.hono.request('/_/');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    // The page runs its own script: the API's "nothing may run" policy is not its policy.
    expect(page.headers.get('content-security-policy')).not.toBe("default-src 'none'; frame-ancestors 'none'");
  });
});

describe('passwords are text', () => {
  it.each([{ a: 1 }, 12345678, ['password-1'], true])(
    'a password of %j is refused, never coerced',
    async (password) => {
      const res = await send(app, {
        method: 'POST',
        url: '/api/collections/members/records',
        body: { email: `typed${Math.random()}@example.com`, password, passwordConfirm: password },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as any).data.password.code).toBe('validation_invalid_value');
    },
  );

  it('a sign-in with a non-text password is a 400 naming it', async () => {
    const res = await send(app, {
      method: 'POST',
      url: '/api/collections/members/auth-with-password',
      body: { identity: 'nobody@example.com', password: { $gt: '' } },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).data.password.code).toBe('validation_invalid_value');
  });
});

describe('sign-up falls under the auth limit', () => {
  it('creates in an auth collection are counted with sign-ins; creates elsewhere are not', async () => {
    const limited = await tempApp([
      memberCollection('members'),
      { name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] },
    ]);
    try {
      await limited.app.settings.update({
        rateLimits: {
          rules: [
            { label: '*:auth', duration: 60, maxRequests: 3 },
            { label: '*:create', duration: 60, maxRequests: 100 },
          ],
        },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await send(limited.app, {
          method: 'POST',
          url: '/api/collections/members/records',
          body: { email: 'taken@example.com', password: 'password-1', passwordConfirm: 'password-1' },
        });
        statuses.push(res.status);
      }
      // The first sign-up works, the next two learn the address is taken, then the auth limit answers.
      expect(statuses).toEqual([200, 400, 400, 429, 429]);
      const note = await send(limited.app, {
        method: 'POST',
        url: '/api/collections/notes/records',
        body: { text: 'x' },
      });
      expect(note.status).toBe(200);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('slow clients and connection caps (a real server on loopback)', () => {
  it('a real server sends the same headers (set on the Node response) and answers preflights', async () => {
    const real = await tempApp([], { rateLimit: false });
    const server = await real.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${server.url}/api/health`, { headers: { origin: 'https://app.example.com' } });
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('content-type')).toContain('application/json');
      const plain = await fetch(`${server.url}/api/health`);
      expect(plain.headers.get('access-control-allow-origin')).toBeNull();
      expect(plain.headers.get('referrer-policy')).toBe('no-referrer');
      const missing = await fetch(`${server.url}/api/collections/nope/records`);
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
      const preflight = await fetch(`${server.url}/api/collections/nope/records`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example.com',
          'access-control-request-method': 'PATCH',
          'access-control-request-headers': 'authorization',
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-methods')).toContain('PATCH');
      expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
    } finally {
      await server.close();
      await real.cleanup();
    }
  });

  it('a request trickled too slowly is cut off; the server goes on serving', async () => {
    const slow = await tempApp([{ name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] }], {
      requestTimeoutMs: 1000,
      rateLimit: false,
    });
    const server = await slow.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const { port } = new URL(server.url);
      const started = Date.now();
      const closedAfter = await new Promise<number>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            'POST /api/collections/notes/records HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
          );
          // One more byte now and then: never the whole body.
          const drip = setInterval(() => socket.write(' '), 200);
          socket.on('close', () => {
            clearInterval(drip);
            resolve(Date.now() - started);
          });
        });
        socket.on('error', () => undefined);
        setTimeout(() => socket.destroy(), 10_000).unref();
      });
      expect(closedAfter).toBeLessThan(5000);
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      await server.close();
      await slow.cleanup();
    }
  });

  it('connections past the cap are closed at once, and the server answers again when they go', async () => {
    const capped = await tempApp([], { maxConnections: 3, rateLimit: false });
    const server = await capped.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = new URL(server.url);
    const sockets: ReturnType<typeof connect>[] = [];
    try {
      const closed = await Promise.all(
        Array.from(
          { length: 6 },
          () =>
            new Promise<boolean>((resolve) => {
              const socket = connect(Number(port), '127.0.0.1');
              sockets.push(socket);
              socket.on('error', () => undefined);
              socket.on('close', () => resolve(true));
              setTimeout(() => resolve(false), 500);
            }),
        ),
      );
      expect(closed.filter(Boolean).length).toBe(3);
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    } finally {
      for (const s of sockets) s.destroy();
      await server.close();
      await capped.cleanup();
    }
  });
});

describe("PocketBase's JavaScript hooks", () => {
  it('a pb_hooks/main.pb.js stops the start with a sentence saying they are not supported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'satchel-pbjs-'));
    writeFileSync(join(dir, 'main.pb.js'), 'routerAdd("GET", "/hello", (e) => e.string(200, "hi"));\n');
    try {
      const error = await app.loadHooks(dir).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(HookLoadError);
      expect((error as Error).message).toMatch(/main\.pb\.js: PocketBase's JavaScript hooks .* are not supported/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the same id in two auth collections', () => {
  it('is refused, so @request.auth.id cannot be confused; rules may also check @request.auth.collectionName', async () => {
    const other = await tempApp(
      [
        memberCollection('users'),
        memberCollection('staff'),
        {
          name: 'diaries',
          listRule: 'owner = @request.auth.id && @request.auth.collectionName = "users"',
          fields: [
            { name: 'owner', type: 'relation', collectionId: 'users', maxSelect: 1 },
            { name: 'text', type: 'text' },
          ],
        },
      ],
      { rateLimit: false },
    );
    try {
      const shared = 'sameid000000001';
      const signUp = (c: string, id: string) =>
        send(other.app, {
          method: 'POST',
          url: `/api/collections/${c}/records`,
          body: { id, email: `${c}@example.com`, password: 'password-1', passwordConfirm: 'password-1' },
        });
      expect((await signUp('users', shared)).status).toBe(200);
      const taken = await signUp('staff', shared);
      expect(taken.status).toBe(400);
      expect(((await taken.json()) as any).data.id.code).toBe('validation_not_unique');
      // A superuser cannot make the collision either.
      await expect(
        other.app.records.create(
          'staff',
          { id: shared, email: 'boss@example.com', password: 'password-1', passwordConfirm: 'password-1' },
          SUPERUSER,
        ),
      ).rejects.toMatchObject({ status: 400 });
      await other.app.records.create('diaries', { owner: shared, text: 'dear diary' }, SUPERUSER);
      const users = other.app.records.collection('users');
      const token = await other.app.auth.issueToken(
        users,
        (await other.app.records.storedById(users, shared))!,
        'auth',
      );
      const res = await send(other.app, { url: '/api/collections/diaries/records', headers: { authorization: token } });
      expect(((await res.json()) as any).items).toHaveLength(1);
    } finally {
      await other.cleanup();
    }
  });
});
