// ApiError is recognised across copies of its module: a hook file that imports `satchel` by name gets its own
// module instance through tsx, and the errors it throws must still reach the client as they are.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/index.js';
import { tempApp } from '../helpers/temp-app.js';

let cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups) c();
  cleanups = [];
});

describe('ApiError across module copies', () => {
  it('an ApiError thrown by a pb_hooks file that imports `satchel` renders with its status and data', async () => {
    const { app, cleanup } = await tempApp([], { rateLimit: false });
    cleanups.push(cleanup);
    await app.loadHooks(fileURLToPath(new URL('../fixtures/api-error-hooks', import.meta.url)));
    const res = await app.hono.request('/teapot');
    expect(res.status).toBe(418);
    expect(await res.json()).toEqual({
      status: 418,
      message: 'I am a teapot.',
      data: { kettle: { code: 'not_a_kettle', message: 'Not a kettle.' } },
    });
  });

  it('the built module (another copy) and the source agree; plain errors and lookalikes are not ApiErrors', async () => {
    const built = (await import(join(fileURLToPath(new URL('../../dist/', import.meta.url)), 'index.js'))) as {
      ApiError: typeof ApiError;
    };
    expect(built.ApiError).not.toBe(ApiError);
    expect(new built.ApiError(409, 'x') instanceof ApiError).toBe(true);
    expect(ApiError.forbidden() instanceof built.ApiError).toBe(true);
    expect(new Error('x') instanceof ApiError).toBe(false);
    expect(Object.assign(new Error('x'), { name: 'ApiError', status: 400, data: {} }) instanceof ApiError).toBe(false);
    expect((null as unknown) instanceof ApiError).toBe(false);
  });

  it('a subclass keeps the ordinary prototype check', () => {
    class Teapot extends ApiError {}
    expect(new Teapot(418, 'x') instanceof Teapot).toBe(true);
    expect(new Teapot(418, 'x') instanceof ApiError).toBe(true);
    expect(ApiError.badRequest() instanceof Teapot).toBe(false);
  });
});
