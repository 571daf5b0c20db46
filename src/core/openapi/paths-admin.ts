// The superusers' routes (collections, settings, logs, backups, crons): only in the superusers' document.
import type { ErrorFormat } from '../settings/settings.js';
import type { JsonSchema } from './json-schema.js';
import { commonErrors, jsonResponse, NO_CONTENT, sdkSample, type Method, type OperationSpec } from './operation.js';
import { FILTER_LANGUAGE, group } from './paths-records.js';

const OBJECT: JsonSchema = { type: 'object' };
const page = (items: JsonSchema): JsonSchema => ({
  type: 'object',
  properties: {
    page: { type: 'integer' },
    perPage: { type: 'integer' },
    totalItems: { type: 'integer' },
    totalPages: { type: 'integer' },
    items: { type: 'array', items },
  },
  required: ['page', 'perPage', 'totalItems', 'totalPages', 'items'],
});
const pathParam = (name: string): JsonSchema => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const LIST_QUERY: JsonSchema[] = [
  { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } },
  { name: 'perPage', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000 } },
  { name: 'sort', in: 'query', schema: { type: 'string' } },
  { name: 'filter', in: 'query', schema: { type: 'string' }, description: FILTER_LANGUAGE },
];

/** [method, path, tag, summary, answer (a schema, or 204 for none), body?, sdk] */
type Row = [Method, string, string, string, JsonSchema | 204, JsonSchema | undefined, string];

const ROWS: Row[] = [
  [
    'get',
    '/api/collections',
    'collections',
    'List collections',
    page(OBJECT),
    undefined,
    'pb.collections.getList(1, 30)',
  ],
  [
    'get',
    '/api/collections/meta/scaffolds',
    'collections',
    'Collection templates by type',
    OBJECT,
    undefined,
    'pb.collections.getScaffolds()',
  ],
  [
    'put',
    '/api/collections/import',
    'collections',
    'Import collections',
    204,
    {
      type: 'object',
      properties: { collections: { type: 'array', items: OBJECT }, deleteMissing: { type: 'boolean' } },
      required: ['collections'],
    },
    'pb.collections.import(collections, false)',
  ],
  [
    'get',
    '/api/collections/{collection}',
    'collections',
    'View a collection',
    OBJECT,
    undefined,
    "pb.collections.getOne('posts')",
  ],
  [
    'post',
    '/api/collections',
    'collections',
    'Create a collection',
    OBJECT,
    OBJECT,
    "pb.collections.create({ name: 'notes', fields: [] })",
  ],
  [
    'patch',
    '/api/collections/{collection}',
    'collections',
    'Update a collection (the schema changes at once)',
    OBJECT,
    OBJECT,
    "pb.collections.update('posts', { listRule: '' })",
  ],
  [
    'delete',
    '/api/collections/{collection}',
    'collections',
    'Delete a collection and its records',
    204,
    undefined,
    "pb.collections.delete('notes')",
  ],
  [
    'delete',
    '/api/collections/{collection}/truncate',
    'collections',
    'Delete every record of a collection',
    204,
    undefined,
    "pb.collections.truncate('notes')",
  ],
  ['get', '/api/settings', 'settings', 'The settings (secrets left out)', OBJECT, undefined, 'pb.settings.getAll()'],
  [
    'patch',
    '/api/settings',
    'settings',
    'Change settings (only the keys sent)',
    OBJECT,
    OBJECT,
    "pb.settings.update({ errors: 'problem+json' })",
  ],
  [
    'post',
    '/api/settings/test/email',
    'settings',
    'Send a test e-mail',
    204,
    OBJECT,
    "pb.settings.testEmail('users', 'me@example.com', 'verification')",
  ],
  ['post', '/api/settings/test/s3', 'settings', 'Check the S3 settings', 204, OBJECT, "pb.settings.testS3('storage')"],
  ['get', '/api/logs', 'logs', 'List request and app logs', page(OBJECT), undefined, 'pb.logs.getList(1, 30)'],
  [
    'get',
    '/api/logs/stats',
    'logs',
    'Requests per hour',
    { type: 'array', items: OBJECT },
    undefined,
    'pb.logs.getStats()',
  ],
  ['get', '/api/logs/{id}', 'logs', 'View a log entry', OBJECT, undefined, "pb.logs.getOne('LOG_ID')"],
  [
    'get',
    '/api/backups',
    'backups',
    'List backups, newest first',
    {
      type: 'array',
      items: {
        type: 'object',
        properties: { key: { type: 'string' }, size: { type: 'integer' }, modified: { type: 'string' } },
        required: ['key', 'size', 'modified'],
      },
    },
    undefined,
    'pb.backups.getFullList()',
  ],
  [
    'post',
    '/api/backups',
    'backups',
    'Write a backup',
    204,
    { type: 'object', properties: { name: { type: 'string', pattern: '^[a-z0-9_-]+\\.zip$' } } },
    'pb.backups.create()',
  ],
  ['delete', '/api/backups/{key}', 'backups', 'Delete a backup', 204, undefined, "pb.backups.delete('KEY')"],
  ['post', '/api/backups/{key}/restore', 'backups', 'Restore a backup', 204, undefined, "pb.backups.restore('KEY')"],
  [
    'get',
    '/api/crons',
    'crons',
    'List scheduled jobs',
    {
      type: 'array',
      items: { type: 'object', properties: { id: { type: 'string' }, expression: { type: 'string' } } },
    },
    undefined,
    'pb.crons.getFullList()',
  ],
  ['post', '/api/crons/{id}', 'crons', 'Run a job now', 204, undefined, "pb.crons.run('JOB_ID')"],
];

export function adminPaths(format: ErrorFormat): Record<string, Record<string, JsonSchema>> {
  const ops = ROWS.map(([method, path, tag, summary, answer, body, sdk]): OperationSpec => {
    const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => pathParam(m[1]!));
    const listed = path === '/api/collections' || path === '/api/logs';
    return {
      method,
      path,
      tag,
      summary,
      description: 'Superusers only.',
      operationId: `${method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
      auth: 'required',
      parameters: listed ? [...params, ...LIST_QUERY] : params,
      ...(body ? { body: { schema: body } } : {}),
      responses: {
        ...(answer === 204 ? { '204': NO_CONTENT } : { '200': jsonResponse('Done.', answer) }),
        ...commonErrors(format, path, {
          ...(body ? { 400: 'An error occurred while validating the submitted data.' } : {}),
          401: true,
          403: true,
          ...(params.length ? { 404: true } : {}),
        }),
      },
      sdk: sdkSample(`${answer === 204 ? 'await ' : 'const result = await '}${sdk};`),
    };
  });
  return group(ops);
}
