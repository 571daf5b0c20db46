// Record CRUD routes: /api/collections/{collection}/records[/{id}].
import type { Context, Hono } from 'hono';
import type { RecordService } from '../core/records/index.js';
import type { AppEnv } from './context.js';
import { readBody } from './request-body.js';
import { requestInfo } from './request-info.js';
import { respondJson } from './respond.js';

/** A system table served under the records routes of its name (list, view, delete; it has no creates). */
export interface SystemRecordRoutes {
  list(c: Context<AppEnv>): Promise<Response>;
  view(c: Context<AppEnv>, id: string): Promise<Response>;
  delete(c: Context<AppEnv>, id: string): Promise<Response>;
}

export function bindRecordRoutes(
  app: Hono<AppEnv>,
  records: RecordService,
  system: ReadonlyMap<string, SystemRecordRoutes> = new Map(),
): void {
  const base = '/api/collections/:collection/records';

  app.get(base, async (c) => {
    const table = system.get(c.req.param('collection'));
    if (table) return table.list(c);
    const q = c.req.query();
    const params = { page: q.page, perPage: q.perPage, sort: q.sort, filter: q.filter, skipTotal: q.skipTotal };
    return respondJson(c, await records.list(c.req.param('collection'), params, c.get('access'), requestInfo(c)));
  });

  app.get(`${base}/:id`, async (c) => {
    const table = system.get(c.req.param('collection'));
    if (table) return table.view(c, c.req.param('id'));
    return respondJson(
      c,
      await records.view(c.req.param('collection'), c.req.param('id'), c.get('access'), requestInfo(c)),
    );
  });

  app.post(base, async (c) => {
    const body = await readBody(c);
    return respondJson(c, await records.create(c.req.param('collection'), body, c.get('access'), requestInfo(c, body)));
  });

  app.patch(`${base}/:id`, async (c) => {
    const body = await readBody(c);
    const { collection, id } = c.req.param();
    return respondJson(c, await records.update(collection, id, body, c.get('access'), requestInfo(c, body)));
  });

  app.delete(`${base}/:id`, async (c) => {
    const table = system.get(c.req.param('collection'));
    if (table) return table.delete(c, c.req.param('id'));
    await records.delete(c.req.param('collection'), c.req.param('id'), c.get('access'), requestInfo(c));
    return c.body(null, 204);
  });
}
