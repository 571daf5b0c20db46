// POST /api/batch (the SDK's createBatch().send()): record creates, upserts, updates and deletes run one after
// another in ONE transaction, each through the same route (rules, validation, hooks, files) as on its own; the
// first failure rolls everything back and names the request that failed. On when the settings' batch says so.
import type { Hono } from 'hono';
import { ApiError, type ErrorData } from '../core/errors.js';
import type { BatchSettings } from '../core/settings/schema.js';
import { BATCH_SUB_REQUEST, type AppEnv, type BatchSubRequest } from './context.js';
import { requestHeader } from './middlewares/node-response.js';
import { isPlainObject, readBody } from './request-body.js';
import type { RecordService } from '../core/records/index.js';
import { parseRecordUrl, runRecordWrite, type RecordWrite } from './batch-records.js';

interface SubRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** The actions a batch may hold, as PocketBase allows them. */
const ACTIONS: [method: string, pattern: RegExp][] = [
  ['PUT', /^\/api\/collections\/[^/?]+\/records(\?.*)?$/],
  ['POST', /^\/api\/collections\/[^/?]+\/records(\?.*)?$/],
  ['PATCH', /^\/api\/collections\/[^/?]+\/records\/[^/?]+(\?.*)?$/],
  ['DELETE', /^\/api\/collections\/[^/?]+\/records\/[^/?]+(\?.*)?$/],
];

/** A request of the batch that did not succeed: the whole batch is rolled back and answers with its response. */
class BatchRequestFailed extends Error {
  constructor(
    readonly index: number,
    readonly response: unknown,
  ) {
    super('Batch request failed.');
  }
}

/** A file part's name: `requests.N.field` or `requests[N].field`. */
const FILE_KEY = /^requests(?:\.(\d+)\.|\[(\d+)\]\.)(.+)$/;

/** The requests of the body, with the files sent for each (`requests.N.field` or `requests[N].field`). */
function subRequests(body: Record<string, unknown>, max: number): SubRequest[] {
  const list = body.requests;
  const invalid = (message: string) =>
    ApiError.badRequest('Invalid batch request data.', { requests: { code: 'validation_invalid_value', message } });
  if (!Array.isArray(list) || list.length === 0) throw invalid('Cannot be blank.');
  if (list.length > max) throw invalid(`The batch may hold at most ${max} requests.`);
  // Files of a multipart batch, by request: one pass over the body's keys (a JSON batch has only `requests`).
  const files = new Map<number, [string, unknown][]>();
  for (const [key, value] of Object.entries(body)) {
    const m = FILE_KEY.exec(key);
    if (!m) continue;
    const index = Number(m[1] ?? m[2]);
    files.set(index, [...(files.get(index) ?? []), [m[3]!, value]]);
  }
  return list.map((raw, i) => {
    if (!isPlainObject(raw)) throw invalid(`Request ${i} must be an object.`);
    const request: SubRequest = {
      method: String(raw.method ?? '').toUpperCase(),
      url: String(raw.url ?? ''),
      headers: isPlainObject(raw.headers) ? (raw.headers as Record<string, string>) : {},
      body: isPlainObject(raw.body) ? { ...raw.body } : {},
    };
    for (const [field, value] of files.get(i) ?? []) request.body[field] = value;
    return request;
  });
}

export interface BatchRouteDeps {
  settings: () => BatchSettings;
  /** Record writes run on it directly (see batch-records.ts); other paths go through the app's routes. */
  records?: RecordService;
  /** Collection names whose records routes are system tables' own (answered by the routes). */
  systemTables?: ReadonlySet<string>;
  /** Runs `fn` in one write transaction (the engine's store): every record write inside joins it. */
  transaction: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Whether a record exists, for PUT (an upsert: an update when the body's id exists, else a create). */
  exists: (collection: string, id: string) => Promise<boolean>;
}

export function bindBatchRoute(
  app: Hono<AppEnv>,
  { settings, transaction, exists, records, systemTables = new Set() }: BatchRouteDeps,
): void {
  app.post('/api/batch', async (c) => {
    const { enabled, maxRequests, timeout, maxBodySize } = settings();
    if (!enabled || maxRequests <= 0) throw ApiError.forbidden('Batch requests are not allowed.');
    const length = Number(requestHeader(c, 'content-length') ?? 0);
    if (maxBodySize > 0 && length > maxBodySize) {
      throw ApiError.tooLarge(`The request body is larger than ${maxBodySize} bytes.`);
    }
    const requests = subRequests(await readBody(c), maxRequests);
    const authorization = requestHeader(c, 'authorization');
    const access = c.get('access');
    // A batch usually sends one URL many times (100 creates into one collection): each is parsed once.
    const targets = new Map<string, ReturnType<typeof parseRecordUrl>>();
    const targetOf = (url: string) => {
      if (!targets.has(url)) targets.set(url, parseRecordUrl(url));
      return targets.get(url);
    };
    const run = async (request: SubRequest, index: number) => {
      if (!ACTIONS.some(([method, pattern]) => method === request.method && pattern.test(request.url))) {
        throw new BatchRequestFailed(index, { status: 400, message: 'Unknown batch request action.', data: {} });
      }
      let { method, url } = request;
      if (method === 'PUT') {
        const [path, query = ''] = url.split('?');
        const id = typeof request.body.id === 'string' ? request.body.id : '';
        const collection = decodeURIComponent(path!.split('/')[3]!);
        if (id && (await exists(collection, id))) {
          method = 'PATCH';
          url = `${path}/${encodeURIComponent(id)}${query ? `?${query}` : ''}`;
        } else method = 'POST';
      }
      // The batch's caller, whatever a request's own headers say (as PocketBase does).
      const headers: Record<string, string> = { ...request.headers };
      for (const name of Object.keys(headers)) {
        if (['authorization', 'content-type', 'content-length'].includes(name.toLowerCase())) delete headers[name];
      }
      if (authorization) headers.authorization = authorization;
      const target = records ? targetOf(url) : undefined;
      if (records && target && !systemTables.has(target.collection)) {
        const answer = await runRecordWrite(
          records,
          {
            method: method as RecordWrite['method'],
            ...target,
            // Its own copy: a hook may change the query it is given.
            query: { ...target.query },
            headers,
            body: method === 'DELETE' ? {} : request.body,
          },
          access,
          c.get('errorFormat'),
          url.split('?')[0]!,
        );
        if (answer.status >= 400) throw new BatchRequestFailed(index, answer.body);
        return answer;
      }
      // The body (files included) goes to the route as it was read, not encoded into the request again.
      const sub: BatchSubRequest = { access, body: method === 'DELETE' ? {} : request.body };
      const response = await app.request(url, { method, headers }, { [BATCH_SUB_REQUEST]: sub });
      let json: unknown;
      if (sub.answer && sub.answer.status === response.status) json = sub.answer.value;
      else {
        const text = await response.text();
        json = text ? JSON.parse(text) : null;
      }
      if (response.status >= 400) throw new BatchRequestFailed(index, json);
      return { status: response.status, body: json };
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      const results = await transaction(async () => {
        const all = (async () => {
          const out: { status: number; body: unknown }[] = [];
          for (const [i, request] of requests.entries()) out.push(await run(request, i));
          return out;
        })();
        const expired = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(ApiError.badRequest('Batch transaction timeout.')), (timeout || 3) * 1000);
        });
        return Promise.race([all, expired]);
      });
      return c.json(results);
    } catch (err) {
      if (!(err instanceof BatchRequestFailed)) throw err;
      throw ApiError.badRequest('Batch transaction failed.', {
        requests: {
          [err.index]: { code: 'batch_request_failed', message: 'Batch request failed.', response: err.response },
        } as unknown as ErrorData,
      });
    } finally {
      clearTimeout(timer);
    }
  });
}
