// Behind a reverse proxy (a few lines of node:http on loopback, appending the client's address to
// X-Forwarded-For as nginx does): with `trustedProxy` set, each client has its own rate-limit bucket; without
// it, forwarding headers are ignored, so a client cannot pick its own bucket by writing one.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { memberCollection } from '../helpers/auth.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let server: RunningServer;
let proxy: http.Server;
let proxyPort: number;
let cleanup: () => Promise<void>;
let root: string;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([memberCollection('members')]));
  await app.settings.update({ rateLimits: { rules: [{ label: '*:auth', duration: 60, maxRequests: 3 }] } });
  server = await app.listen({ port: 0 });
  const target = new URL(server.url);
  proxy = http.createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress?.replace(/^::ffff:/, '')]
      .filter(Boolean)
      .join(', ');
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-for': forwarded },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyPort = (proxy.address() as AddressInfo).port;
  // A token made directly: a sign-in over HTTP would spend one of 127.0.0.1's attempts, the proxy's own address.
  const { record } = await app.auth.upsertSuperuser('root@example.com', 'password123');
  const superusers = app.auth.authCollection('_superusers');
  root = await app.auth.issueToken(superusers, (await app.records.storedById(superusers, String(record.id)))!, 'auth');
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await server.close();
  await cleanup();
});

/** A failed sign-in from `localAddress` (127.0.0.x: one loopback address per client), through the proxy or not. */
function signIn(localAddress: string, via: 'proxy' | 'direct', headers: Record<string, string> = {}): Promise<number> {
  const port = via === 'proxy' ? proxyPort : Number(new URL(server.url).port);
  const body = JSON.stringify({ identity: 'nobody', password: 'wrong-password' });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress,
        method: 'POST',
        path: '/api/collections/members/auth-with-password',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function setProxy(trustedProxy: { headers: string[]; useLeftmostIP?: boolean }): Promise<void> {
  const res = await fetch(`${server.url}/api/settings`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: root },
    body: JSON.stringify({ trustedProxy }),
  });
  expect(res.status).toBe(200);
}

async function statuses(localAddress: string, via: 'proxy' | 'direct', n: number, headers = {}): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await signIn(localAddress, via, headers));
  return out;
}

describe('client IPs behind a reverse proxy', () => {
  it('without trustedProxy, every client behind the proxy shares the proxy’s bucket', async () => {
    expect(await statuses('127.0.0.2', 'proxy', 3)).toEqual([400, 400, 400]);
    expect(await signIn('127.0.0.3', 'proxy')).toBe(429);
  });

  it('without trustedProxy, a forwarding header sent directly is ignored', async () => {
    const spoof = { 'x-forwarded-for': '203.0.113.9' };
    expect(await statuses('127.0.0.4', 'direct', 3, spoof)).toEqual([400, 400, 400]);
    expect(await signIn('127.0.0.4', 'direct', { 'x-forwarded-for': '203.0.113.10' })).toBe(429);
  });

  it('with trustedProxy, each client behind the proxy has a bucket of its own, and cannot choose it', async () => {
    await setProxy({ headers: ['X-Forwarded-For'], useLeftmostIP: false });
    expect(await statuses('127.0.0.5', 'proxy', 3)).toEqual([400, 400, 400]);
    expect(await signIn('127.0.0.5', 'proxy')).toBe(429);
    expect(await signIn('127.0.0.6', 'proxy')).toBe(400);
    // A client writing its own X-Forwarded-For: the proxy appends the real address, and the rightmost counts.
    expect(await signIn('127.0.0.5', 'proxy', { 'x-forwarded-for': '198.51.100.7' })).toBe(429);
  });

  it('health tells a superuser the IP it sees and a proxy header it could trust; guests get the plain answer', async () => {
    const guest = await fetch(`${server.url}/api/health`);
    expect(await guest.json()).toEqual({ message: 'API is healthy.', code: 200, data: {} });
    const viaProxy = await new Promise<any>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: proxyPort,
          localAddress: '127.0.0.7',
          path: '/api/health',
          headers: { authorization: root },
          agent: false,
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(viaProxy.data).toEqual({ canBackup: true, realIP: '127.0.0.7', possibleProxyHeader: 'X-Forwarded-For' });
  });

  it('refuses a malformed trustedProxy with a 400 naming it', async () => {
    const res = await fetch(`${server.url}/api/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: root },
      body: JSON.stringify({ trustedProxy: { headers: ['X Forwarded: For'] } }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).data.trustedProxy.headers).toBeDefined();
  });
});
