// The collections API (superusers only), PocketBase's routes and bodies: list, view, create, update, delete,
// truncate, import and the scaffolds a new collection starts from.
import type { Hono } from 'hono';
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
  return {
    base: { ...base, fields: [] },
    auth: {
      ...base,
      type: 'auth',
      fields: [],
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

export function bindCollectionRoutes(app: Hono<AppEnv>, manager: CollectionManager, records: RecordService): void {
  app.get('/api/collections', (c) => {
    requireSuperuser(c);
    const q = c.req.query();
    return respondJson(c, manager.page({ page: q.page, perPage: q.perPage, sort: q.sort, filter: q.filter }));
  });

  app.get('/api/collections/meta/scaffolds', (c) => {
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

  app.post('/api/collections', async (c) => {
    requireSuperuser(c);
    return respondJson(c, await manager.create(await readBody(c)));
  });

  app.patch('/api/collections/:collection', async (c) => {
    requireSuperuser(c);
    return respondJson(c, await manager.update(c.req.param('collection'), await readBody(c)));
  });

  app.delete('/api/collections/:collection', async (c) => {
    requireSuperuser(c);
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
