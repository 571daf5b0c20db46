// The routes every server has beside the collections: health, realtime, files and batch.
import type { ErrorFormat } from '../settings/settings.js';
import { errorResponse } from './errors.js';
import type { JsonSchema } from './json-schema.js';
import { commonErrors, jsonResponse, NO_CONTENT, sdkSample, type OperationSpec } from './operation.js';
import { group } from './paths-records.js';

export function systemPaths(format: ErrorFormat, batchEnabled: boolean): Record<string, Record<string, JsonSchema>> {
  const ops: OperationSpec[] = [
    {
      method: 'get',
      path: '/api/health',
      tag: 'system',
      summary: 'Health check',
      operationId: 'health',
      auth: 'optional',
      responses: {
        '200': jsonResponse(
          'The server answers.',
          {
            type: 'object',
            properties: { message: { type: 'string' }, code: { type: 'integer' }, data: { type: 'object' } },
            required: ['message', 'code', 'data'],
          },
          { message: 'API is healthy.', code: 200, data: {} },
        ),
      },
      sdk: sdkSample(`const health = await pb.health.check();`),
    },
    {
      method: 'get',
      path: '/api/realtime',
      tag: 'realtime',
      summary: 'Open the realtime stream (Server-Sent Events)',
      description:
        "The first event, `PB_CONNECT`, carries `clientId`. Then each subscribed topic gets events `{action, record}` (`create`, `update`, `delete`), filtered by the list rule (topic `collection/*`) or the view rule (`collection/id`) with the subscriber's sign-in. Idle streams get a comment every 30 s.",
      operationId: 'realtimeConnect',
      auth: 'none',
      responses: {
        '200': { description: 'An event stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      },
      sdk: sdkSample(`await pb.collection('posts').subscribe('*', (e) => console.log(e.action, e.record));`),
    },
    {
      method: 'post',
      path: '/api/realtime',
      tag: 'realtime',
      summary: 'Set the subscriptions of a realtime client',
      description:
        'Topics are `collection/*`, `collection/id` or custom names, at most 1,000 of at most 2,500 characters; `TOPIC?options={"query":{...},"headers":{...}}` adds filter, expand and fields.',
      operationId: 'realtimeSubscribe',
      auth: 'optional',
      body: {
        schema: {
          type: 'object',
          properties: {
            clientId: { type: 'string' },
            subscriptions: { type: 'array', items: { type: 'string' }, maxItems: 1000 },
          },
          required: ['clientId'],
        },
      },
      responses: {
        '204': NO_CONTENT,
        ...commonErrors(format, '/api/realtime', {
          400: 'Something went wrong while processing your request.',
          403: true,
          404: true,
        }),
      },
      sdk: sdkSample(`await pb.realtime.subscribe('posts/*', (e) => console.log(e));`),
    },
    {
      method: 'post',
      path: '/api/files/token',
      tag: 'files',
      summary: 'Get a file token for protected files',
      operationId: 'fileToken',
      auth: 'required',
      responses: {
        '200': jsonResponse('A token for `?token=` (3 minutes).', {
          type: 'object',
          properties: { token: { type: 'string' } },
          required: ['token'],
        }),
        ...commonErrors(format, '/api/files/token', { 401: true }),
      },
      sdk: sdkSample(`const token = await pb.files.getToken();`),
    },
    {
      method: 'get',
      path: '/api/files/{collection}/{recordId}/{filename}',
      tag: 'files',
      summary: 'Download a file of a record',
      description:
        'Thumbnails with `?thumb=WxH` (sizes the field allows); `?download=1` for an attachment; ranges and ETags are honoured.',
      operationId: 'downloadFile',
      auth: 'optional',
      parameters: [
        { name: 'collection', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'recordId', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'filename', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'thumb', in: 'query', schema: { type: 'string', pattern: '^\\d+x\\d+[tbf]?$' } },
        { name: 'token', in: 'query', schema: { type: 'string' }, description: 'A file token, for protected fields.' },
        { name: 'download', in: 'query', schema: { type: 'boolean' } },
      ],
      responses: {
        '200': {
          description: 'The file.',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        '304': { description: 'Not modified.' },
        ...commonErrors(format, '/api/files', { 404: true }),
      },
      sdk: sdkSample(`const url = pb.files.getURL(record, record.avatar, { thumb: '100x100' });`),
    },
  ];
  if (batchEnabled) {
    const request = {
      type: 'object',
      properties: {
        method: { enum: ['POST', 'PUT', 'PATCH', 'DELETE'] },
        url: { type: 'string', description: '`/api/collections/{collection}/records[/{id}]`, with a query if needed.' },
        headers: { type: 'object', additionalProperties: { type: 'string' } },
        body: { type: 'object' },
      },
      required: ['method', 'url'],
    };
    ops.push({
      method: 'post',
      path: '/api/batch',
      tag: 'batch',
      summary: 'Run record writes in one transaction',
      description:
        "Each request runs with the caller's rules, validation, hooks and files; the first that fails rolls all back and is named in `data.requests.<n>`.",
      operationId: 'batch',
      auth: 'optional',
      body: {
        schema: { type: 'object', properties: { requests: { type: 'array', items: request } }, required: ['requests'] },
      },
      responses: {
        '200': jsonResponse("Each request's status and body.", {
          type: 'array',
          items: {
            type: 'object',
            properties: { status: { type: 'integer' }, body: {} },
            required: ['status', 'body'],
          },
        }),
        '400': errorResponse(
          format,
          400,
          'A request failed; nothing was written.',
          'Batch transaction failed.',
          {},
          '/api/batch',
        ),
        ...commonErrors(format, '/api/batch', { 403: true }),
      },
      sdk: sdkSample(
        `const batch = pb.createBatch();\nbatch.collection('posts').create({ title: 'One' });\nconst results = await batch.send();`,
      ),
    });
  }
  return group(ops);
}
