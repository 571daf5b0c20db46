// The extension API: hook binders on the app, custom routes through the record engine, pb_hooks files,
// and problem+json errors.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, HookLoadError, readBody, requestInfo } from '../../src/index.js';
import { runScenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

const posts = { name: 'posts', ...OPEN_RULES, fields: [{ name: 'title', type: 'text', required: true }] };
const locked = { name: 'vault', fields: [{ name: 'title', type: 'text' }] };
let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) await c();
  cleanups = [];
});
async function makeApp(options: Parameters<typeof tempApp>[1] = {}) {
  const made = await tempApp([posts, locked], { rateLimit: false, ...options });
  cleanups.push(made.cleanup);
  return made;
}

describe('hook binders and custom routes', () => {
  it("app.onRecordCreate('posts', ...) changes what the API stores", async () => {
    const { app } = await makeApp();
    app.onRecordCreate('posts', (e) => {
      e.record.title = String(e.record.title).toUpperCase();
      e.next();
    });
    await runScenario(app, {
      name: 'create through a hook',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title: 'shout' },
      status: 200,
      check: (j) => expect(j.title).toBe('SHOUT'),
    });
  });

  it('a hook error with field data becomes a 400 naming the field', async () => {
    const { app } = await makeApp();
    app.onRecordCreateRequest(['posts'], (e) => {
      if (String(e.body.title).includes('spam')) {
        throw ApiError.badRequest('Failed to create record.', { title: { code: 'no_spam', message: 'No spam.' } });
      }
      return e.next();
    });
    await runScenario(app, {
      name: 'refused by a hook',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title: 'buy spam' },
      status: 400,
      check: (j) => expect(j.data.title.code).toBe('no_spam'),
    });
  });

  it("custom routes call the engine with the caller's access: rules and validation still apply", async () => {
    const { app } = await makeApp();
    app.hono.post('/api/custom/:collection', async (c) => {
      const body = await readBody(c);
      const record = await app.records.create(c.req.param('collection'), body, c.get('access'), requestInfo(c, body));
      return c.json({ created: record.id }, 201);
    });
    await runScenario(app, {
      name: 'open',
      method: 'POST',
      url: '/api/custom/posts',
      body: { title: 'x' },
      status: 201,
    });
    await runScenario(app, { name: 'invalid', method: 'POST', url: '/api/custom/posts', body: {}, status: 400 });
    await runScenario(app, {
      name: 'locked',
      method: 'POST',
      url: '/api/custom/vault',
      body: { title: 'x' },
      status: 403,
    });
  });
});

describe('pb_hooks files', () => {
  it('loads TypeScript and JavaScript files in name order, each given the app', async () => {
    const { app, dirs } = await makeApp();
    const hooks = join(dirs.root, 'pb_hooks');
    mkdirSync(hooks);
    writeFileSync(
      join(hooks, '01-routes.ts'),
      `import type { SatchelApp } from '../../../../src/index.js';
       interface Greeting { hello: string }
       export default function (app: SatchelApp): void {
         app.hono.get('/api/hello', (c) => c.json({ hello: 'world' } satisfies Greeting));
       }`.replace('../../../../src/index.js', new URL('../../src/index.ts', import.meta.url).pathname),
    );
    writeFileSync(
      join(hooks, '02-stamp.mjs'),
      `export default (app) => app.onRecordCreate('posts', (e) => { e.record.title += '!'; e.next(); });`,
    );
    writeFileSync(join(hooks, 'notes.txt'), 'not a hook');
    const loaded = await app.loadHooks(hooks);
    expect(loaded.map((f) => f.split('/').pop())).toEqual(['01-routes.ts', '02-stamp.mjs']);
    await runScenario(app, {
      name: 'route',
      url: '/api/hello',
      status: 200,
      check: (j) => expect(j).toEqual({ hello: 'world' }),
    });
    await runScenario(app, {
      name: 'hook',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title: 'hi' },
      status: 200,
      check: (j) => expect(j.title).toBe('hi!'),
    });
  });

  it('a file that does not export a function, or throws, is an error naming it', async () => {
    const { app, dirs } = await makeApp();
    const hooks = join(dirs.root, 'bad_hooks');
    mkdirSync(hooks);
    writeFileSync(join(hooks, 'a.js'), 'export const x = 1;');
    await expect(app.loadHooks(hooks)).rejects.toThrow(HookLoadError);
    await expect(app.loadHooks(hooks)).rejects.toThrow(/a\.js: must export a function/);
    writeFileSync(join(hooks, 'a.js'), 'export default () => { throw new Error("boom"); };');
    await expect(app.loadHooks(hooks)).rejects.toThrow(/a\.js: failed while registering: boom/);
    writeFileSync(join(hooks, 'a.js'), 'export default (;');
    await expect(app.loadHooks(hooks)).rejects.toThrow(/a\.js: cannot be loaded/);
  });

  it('a missing folder loads nothing', async () => {
    const { app, dirs } = await makeApp();
    expect(await app.loadHooks(join(dirs.root, 'nope'))).toEqual([]);
  });
});

describe('problem+json errors', () => {
  it('writes every error as RFC 9457 problem details, field errors as an extension member', async () => {
    const { app } = await makeApp({ errors: 'problem+json' });
    const res = await app.hono.request('/api/collections/posts/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      detail: 'Failed to create record.',
      instance: '/api/collections/posts/records',
      errors: { title: { code: 'validation_required', message: 'Cannot be blank.' } },
    });
    for (const [url, status, title] of [
      ['/api/collections/nope/records', 404, 'Not Found'],
      ['/api/collections/vault/records', 403, 'Forbidden'],
      ['/no/such/route', 404, 'Not Found'],
    ] as const) {
      const r = await app.hono.request(url);
      expect(r.status).toBe(status);
      expect(r.headers.get('content-type')).toBe('application/problem+json');
      expect(await r.json()).toMatchObject({ type: 'about:blank', title, status, instance: url });
    }
  });

  it('the settings switch changes the format of a running app', async () => {
    const { app } = await makeApp();
    const before = await app.hono.request('/api/collections/nope/records');
    expect(before.headers.get('content-type')).toContain('application/json');
    await app.engine.settings.update({ errors: 'problem+json' });
    const after = await app.hono.request('/api/collections/nope/records');
    expect(after.headers.get('content-type')).toBe('application/problem+json');
    await expect(app.engine.settings.update({ errors: 'xml' })).rejects.toThrow(ApiError);
  });
});
