// The collections API (superusers only), PocketBase's routes and bodies: list, view, create, update, delete,
// truncate, import and the scaffolds a new collection starts from.
import type { Context, Hono } from 'hono';
import { ApiError } from '../core/errors.js';
import { withSystemFields } from '../core/collections/system-fields.js';
import type { CollectionManager } from '../core/collections/manager.js';
import type { RecordService } from '../core/records/index.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

/** What a new collection of each type starts as (GET /api/collections/meta/scaffolds). */
function scaffolds(): Record<string, unknown> {
  const base = {
    id: '',
    name: '',
    type: 'base',
    system: false,
    listRule: null,
    viewRule: null,
    createRule: null,
    updateRule: null,
    deleteRule: null,
    indexes: [],
  };
  // With their system fields, as PocketBase's scaffolds have them (a new collection's editor starts from these).
  return {
    base: { ...base, fields: withSystemFields('base', []) },
    view: { ...base, type: 'view', fields: [], viewQuery: '' },
    auth: {
      ...base,
      type: 'auth',
      fields: withSystemFields('auth', []),
      authRule: '',
      manageRule: null,
      passwordAuth: { enabled: true, identityFields: ['email'] },
      oauth2: { enabled: false, mappedFields: { id: '', name: '', username: '', avatarURL: '' }, providers: [] },
      authToken: { duration: 604800 },
      passwordResetToken: { duration: 1800 },
      emailChangeToken: { duration: 1800 },
      verificationToken: { duration: 259200 },
      fileToken: { duration: 180 },
    },
  };
}

const wantsPreview = (c: Context) => ['1', 'true'].includes(c.req.query('preview') ?? '');

export function bindCollectionRoutes(app: Hono<AppEnv>, manager: CollectionManager, records: RecordService): void {
  app.get('/api/collections', (c) => {
    requireSuperuser(c);
    const q = c.req.query();
    return respondJson(c, manager.page({ page: q.page, perPage: q.perPage, sort: q.sort, filter: q.filter }));
  });

  // GET /api/collections/meta/scaffolds, as a parameter: a static segment beside :collection would cost every
  // request Hono's slower router (see test/api/router.test.ts).
  app.get('/api/collections/:collection/scaffolds', (c) => {
    if (c.req.param('collection') !== 'meta') throw ApiError.notFound();
    requireSuperuser(c);
    return respondJson(c, scaffolds());
  });

  app.put('/api/collections/import', async (c) => {
    requireSuperuser(c);
    const body = await readBody(c);
    await manager.importAll(body.collections, body.deleteMissing === true);
    return c.body(null, 204);
  });

  app.get('/api/collections/:collection', (c) => {
    requireSuperuser(c);
    return respondJson(c, manager.get(c.req.param('collection')));
  });

  // `?preview=true` on a create, update or delete answers what it would do (the collection as it would be, the
  // steps on the stored data, the files written) and changes nothing: the dashboard's review before applying.
  app.post('/api/collections', async (c) => {
    requireSuperuser(c);
    const body = await readBody(c);
    if (wantsPreview(c)) return respondJson(c, await manager.preview('create', undefined, body));
    return respondJson(c, await manager.create(body));
  });

  app.patch('/api/collections/:collection', async (c) => {
    requireSuperuser(c);
    const body = await readBody(c);
    if (wantsPreview(c)) return respondJson(c, await manager.preview('update', c.req.param('collection'), body));
    return respondJson(c, await manager.update(c.req.param('collection'), body));
  });

  app.delete('/api/collections/:collection', async (c) => {
    requireSuperuser(c);
    if (wantsPreview(c)) return respondJson(c, await manager.preview('delete', c.req.param('collection'), {}));
    await manager.remove(c.req.param('collection'));
    return c.body(null, 204);
  });

  app.delete('/api/collections/:collection/truncate', async (c) => {
    requireSuperuser(c);
    const ref = c.req.param('collection');
    manager.get(ref); // a 404 for an unknown collection, as the other collection routes answer
    await records.truncate(ref);
    return c.body(null, 204);
  });
}
