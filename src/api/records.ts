// Record CRUD routes: /api/collections/{collection}/records[/{id}].
import type { Hono } from 'hono';
import type { RecordService } from '../core/records/service.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { respondJson } from './respond.js';

export function bindRecordRoutes(app: Hono<AppEnv>, records: RecordService): void {
  const base = '/api/collections/:collection/records';

  app.get(base, (c) => {
    const q = c.req.query();
    const result = records.list(
      c.req.param('collection'),
      { page: q.page, perPage: q.perPage, sort: q.sort, filter: q.filter, skipTotal: q.skipTotal },
      c.get('access'),
    );
    return respondJson(c, result);
  });

  app.get(`${base}/:id`, (c) => respondJson(c, records.view(c.req.param('collection'), c.req.param('id'), c.get('access'))));

  app.post(base, async (c) => {
    const body = await readBody(c);
    return respondJson(c, await records.create(c.req.param('collection'), body, c.get('access')));
  });

  app.patch(`${base}/:id`, async (c) => {
    const body = await readBody(c);
    return respondJson(c, await records.update(c.req.param('collection'), c.req.param('id'), body, c.get('access')));
  });

  app.delete(`${base}/:id`, (c) => {
    records.delete(c.req.param('collection'), c.req.param('id'), c.get('access'));
    return c.body(null, 204);
  });
}
