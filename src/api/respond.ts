// Writes a JSON response, honouring the `fields` query parameter as PocketBase does on every JSON answer.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { pickFields } from '../core/records/index.js';

export function respondJson(c: Context, data: unknown, status: ContentfulStatusCode = 200): Response {
  const fields = c.req.url.includes('fields=') ? c.req.query('fields') : undefined;
  return c.json((fields === undefined ? data : pickFields(data, fields)) as object, status);
}
