// A batch's record write run straight on the record service, as its route runs it (the same service call, so the
// same rules, validation, hooks and files; `expand` and `fields` as on the route), without building an HTTP
// request and response for each: the bulk of a batched write's cost otherwise.
import type { Access } from '../core/records/access.js';
import { pickFields, ruleHeaderName, type RecordService, type RequestInfo } from '../core/records/index.js';
import { errorBody, toApiError } from './errors.js';

export interface BatchAnswer {
  status: number;
  body: unknown;
}

export interface RecordWrite {
  method: 'POST' | 'PATCH' | 'DELETE';
  collection: string;
  id: string | undefined;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** `/api/collections/{c}/records[/{id}][?query]` as its parts; undefined for any other path. */
export function parseRecordUrl(
  url: string,
): { collection: string; id: string | undefined; query: Record<string, string> } | undefined {
  const [path = '', search = ''] = url.split('?', 2);
  const m = /^\/api\/collections\/([^/]+)\/records(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  try {
    return {
      collection: decodeURIComponent(m[1]!),
      id: m[2] === undefined ? undefined : decodeURIComponent(m[2]),
      query: Object.fromEntries(new URLSearchParams(search)),
    };
  } catch {
    return undefined;
  }
}

/** Runs one write; a failure answers the error body its route would have (in the server's error format). */
export async function runRecordWrite(
  records: RecordService,
  write: RecordWrite,
  access: Access,
  errorFormat: string | undefined,
  path: string,
): Promise<BatchAnswer> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(write.headers)) headers[ruleHeaderName(name)] = value;
  const info: RequestInfo = { method: write.method, context: 'default', query: write.query, headers, body: write.body };
  try {
    if (write.method === 'DELETE') {
      await records.delete(write.collection, write.id!, access, info);
      return { status: 204, body: null };
    }
    const value =
      write.method === 'POST'
        ? await records.create(write.collection, write.body, access, info)
        : await records.update(write.collection, write.id!, write.body, access, info);
    return { status: 200, body: write.query.fields === undefined ? value : pickFields(value, write.query.fields) };
  } catch (err) {
    const error = toApiError(err);
    return { status: error.status, body: errorBody(errorFormat, error, path) };
  }
}
