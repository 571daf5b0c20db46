// PUT /user (seed 002), a built-in plugin: sign-up for the `users` collection answering the record plus a token,
// with the contract's two 400 shapes. Built only on what any extension gets: the app's routes, records and auth.
import type { Context } from 'hono';
import { renderError } from '../../api/errors.js';
import type { AppEnv } from '../../api/context.js';
import type { AuthService } from '../../core/auth/service.js';
import { ApiError } from '../../core/errors.js';
import type { RecordService } from '../../core/records/index.js';
import type { SettingsService } from '../../core/settings/settings.js';
import type { Hono } from 'hono';
import type { RouteDescriber } from '../../core/openapi/routes.js';
import { putUserInput, putUserResponse, putUserTypeIssues } from './contract.js';
import { describePutUser } from './reference.js';

export const PUT_USER_COLLECTION = 'users';

/** What the plugin uses of the app. */
export interface PutUserHost {
  hono: Hono<AppEnv>;
  records: RecordService;
  auth: AuthService;
  settings: SettingsService;
  describeRoute(route: RouteDescriber): void;
}

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

export function putUserPlugin(app: PutUserHost): void {
  // In the API reference while it is served: the setting on and the collection there.
  app.describeRoute(({ settings }) => {
    const collection = settings.putUser.enabled ? app.auth.findAuthCollection(PUT_USER_COLLECTION) : undefined;
    return collection ? describePutUser(settings.errors, collection) : undefined;
  });
  // `?requestKey=` (the SDKs' cancellation key) is accepted and ignored.
  app.hono.put('/user', async (c) => {
    // Served while the setting is on and the `users` auth collection exists; otherwise the route is not there.
    const collection = app.settings.get().putUser.enabled
      ? app.auth.findAuthCollection(PUT_USER_COLLECTION)
      : undefined;
    if (!collection) throw ApiError.notFound();
    const body = await readContractBody(c);
    const issues = putUserTypeIssues(body);
    if (issues.length) {
      return renderError(c, ApiError.badRequest('invalid_params'), {
        pocketbase: { message: 'invalid_params', detail: issues },
        problem: { errors: issues },
      });
    }
    const access = c.get('access');
    let id: string;
    try {
      // The record engine applies the collection's rules, validation and hashing, as for any create.
      id = String((await app.records.create(collection.id, putUserInput(body), access)).id);
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 400) throw err;
      return renderError(c, err, {
        pocketbase: { message: err.message, detail: { code: 400, message: err.message, data: err.data } },
      });
    }
    const { token, record } = await app.auth.respondById(collection, id, access);
    return c.json(putUserResponse(record, token), 200);
  });
}
