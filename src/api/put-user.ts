// PUT /user (seed 002): sign-up answering the user and a token, with the contract's two 400 shapes.
import type { Context, Hono } from 'hono';
import type { PutUserService } from '../core/auth/put-user.js';
import { ApiError } from '../core/errors.js';
import type { AppEnv } from './context.js';
import { renderError } from './errors.js';

/** The body as parsed JSON (form fields stay text); a blank or malformed body reads as missing. */
async function readContractBody(c: Context): Promise<unknown> {
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    return c.req.parseBody().catch(() => undefined);
  }
  const text = await c.req.text();
  try {
    return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

export function bindPutUserRoute(app: Hono<AppEnv>, putUser: PutUserService): void {
  // `?requestKey=` (the SDKs' cancellation key) is accepted and ignored.
  app.put('/user', async (c) => {
    const outcome = await putUser.create(await readContractBody(c), c.get('access'));
    switch (outcome.kind) {
      case 'created':
        return c.json(outcome.user, 200);
      case 'invalid_params':
        return renderError(c, ApiError.badRequest('invalid_params'), {
          pocketbase: { message: 'invalid_params', detail: outcome.issues },
          problem: { errors: outcome.issues },
        });
      case 'invalid_record':
        return renderError(c, ApiError.badRequest(outcome.message, outcome.data), {
          pocketbase: { message: outcome.message, detail: { code: 400, message: outcome.message, data: outcome.data } },
        });
    }
  });
}
