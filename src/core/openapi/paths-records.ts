// Record CRUD per collection: list, view, create, update, delete, each under the collection's rules.
import type { Collection, RuleName } from '../collections/model.js';
import type { ErrorFormat } from '../settings/settings.js';
import { errorResponse } from './errors.js';
import type { JsonSchema } from './json-schema.js';
import { commonErrors, jsonResponse, NO_CONTENT, operation, sdkSample, type OperationSpec } from './operation.js';
import {
  createExample,
  recordExample,
  updateExample,
  type Audience,
  type CollectionSchemas,
} from './record-schemas.js';

export const FILTER_LANGUAGE = [
  "PocketBase's filter language: `field op value` joined with `&&`, `||` and parentheses.",
  'Operators: `= != > >= < <= ~ !~` and the any-of forms `?= ?!= ?> ?>= ?< ?<= ?~ ?!~`.',
  'Values: strings in either quote, numbers, `true`, `false`, `null`, macros such as `@now` and `@todayStart`.',
  'Fields may be relation paths (`author.name`), back-relations (`comments_via_post.text`) and take',
  '`:length`, `:each` and `:lower`. Example: `title ~ "hello" && views > 10`.',
].join(' ');

const ID_PARAM: JsonSchema = {
  name: 'id',
  in: 'path',
  required: true,
  description: "The record's id.",
  schema: { type: 'string' },
  example: 'k3j9x0q2m1b7c4d',
};

const query = (name: string, description: string, schema: JsonSchema, example?: unknown): JsonSchema => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
  ...(example !== undefined ? { example } : {}),
});

const EXPAND = query(
  'expand',
  'Relations to include under `expand`, comma-separated (`author,comments_via_post`), up to 6 levels.',
  { type: 'string' },
);
const FIELDS = query(
  'fields',
  'Keys to return, comma-separated (`*`, `expand.author.name`, `body:excerpt(100,true)`).',
  { type: 'string' },
);

const LIST_PARAMS: JsonSchema[] = [
  query('page', 'The page, from 1.', { type: 'integer', minimum: 1, default: 1 }, 1),
  query('perPage', 'Records per page (at most 1000).', { type: 'integer', minimum: 1, maximum: 1000, default: 30 }, 30),
  query(
    'sort',
    'Sort keys, comma-separated; `-` for descending, `@random`, relation paths.',
    { type: 'string' },
    '-created',
  ),
  query('filter', FILTER_LANGUAGE, { type: 'string' }),
  EXPAND,
  FIELDS,
  query('skipTotal', 'Skips the count: totalItems and totalPages are -1.', { type: 'boolean' }),
];

/** What a rule means to a reader. */
function ruleText(rule: string | null): string {
  if (rule === null) return 'Superusers only.';
  if (rule === '') return 'Anyone.';
  return `Callers for whom this rule holds: \`${rule}\`.`;
}

/** The rule's operation is in the document for `audience` (a locked rule is only in the superusers' one). */
export const served = (collection: Collection, rule: RuleName, audience: Audience) =>
  audience === 'superuser' || collection[rule] !== null;

/** The record paths of one collection, keyed by path then method. */
export function recordPaths(
  collection: Collection,
  schemas: CollectionSchemas,
  audience: Audience,
  format: ErrorFormat,
): Record<string, Record<string, JsonSchema>> {
  const { names } = schemas;
  const base = `/api/collections/${collection.name}/records`;
  const item = `${base}/{id}`;
  const tag = collection.name;
  const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const name = collection.name;
  const ops: OperationSpec[] = [];
  const readOnly = collection.type === 'view';
  const example = createExample(collection, audience);
  const record = recordExample(collection, audience, example);

  if (served(collection, 'listRule', audience)) {
    ops.push({
      method: 'get',
      path: base,
      tag,
      summary: `List ${name}`,
      description: `Pages of records, filtered and sorted. Who sees a record: ${ruleText(collection.listRule)} Records the rule excludes are left out silently.`,
      operationId: `list_${name}`,
      auth: 'optional',
      parameters: LIST_PARAMS,
      responses: {
        '200': jsonResponse('A page of records.', refTo(names.list), {
          page: 1,
          perPage: 30,
          totalItems: 1,
          totalPages: 1,
          items: [record],
        }),
        ...commonErrors(format, base, {
          400: 'Something went wrong while processing your request.',
          403: collection.listRule === null,
        }),
      },
      sdk: sdkSample(`const page = await pb.collection('${name}').getList(1, 30, { sort: '-created' });`),
    });
  }
  if (served(collection, 'viewRule', audience)) {
    ops.push({
      method: 'get',
      path: item,
      tag,
      summary: `View a ${name} record`,
      description: `Who may view: ${ruleText(collection.viewRule)} A record the rule hides is a 404.`,
      operationId: `view_${name}`,
      auth: 'optional',
      parameters: [ID_PARAM, EXPAND, FIELDS],
      responses: {
        '200': jsonResponse('The record.', refTo(names.record), record),
        ...commonErrors(format, item, { 403: collection.viewRule === null, 404: true }),
      },
      sdk: sdkSample(`const record = await pb.collection('${name}').getOne('RECORD_ID', { expand: '' });`),
    });
  }
  if (!readOnly && served(collection, 'createRule', audience)) {
    const examples: NonNullable<OperationSpec['body']>['examples'] = {};
    if (example) examples.created = { summary: 'A new record', value: example, status: 200 };
    const invalid = emptyCreateErrors(schemas, names.create);
    if (invalid) examples.invalid = { summary: 'A body missing its required fields', value: {}, status: 400 };
    ops.push({
      method: 'post',
      path: base,
      tag,
      summary: `Create a ${name} record`,
      description: `Who may create: ${ruleText(collection.createRule)} A refused create is a 400. Files are sent as multipart/form-data.`,
      operationId: `create_${name}`,
      auth: 'optional',
      parameters: [EXPAND, FIELDS],
      body: { schema: refTo(names.create), form: refTo(names.createForm), examples },
      responses: {
        '200': jsonResponse('The created record.', refTo(names.record), record),
        '400': errorResponse(
          format,
          400,
          'The record was refused: the fields that failed are named.',
          'Failed to create record.',
          invalid ?? {},
          base,
        ),
        ...commonErrors(format, base, { 403: collection.createRule === null }),
        '413': errorResponse(format, 413, 'The body is over the limit.', 'Request entity too large.', {}, base),
      },
      sdk: sdkSample(`const record = await pb.collection('${name}').create(${JSON.stringify(example ?? {})});`),
    });
  }
  if (!readOnly && served(collection, 'updateRule', audience)) {
    const change = updateExample(collection, audience);
    const examples: NonNullable<OperationSpec['body']>['examples'] = {};
    if (change) examples.updated = { summary: 'A change', value: change, status: 200 };
    ops.push({
      method: 'patch',
      path: item,
      tag,
      summary: `Update a ${name} record`,
      description: `Who may update: ${ruleText(collection.updateRule)} A record the rule hides is a 404.`,
      operationId: `update_${name}`,
      auth: 'optional',
      parameters: [ID_PARAM, EXPAND, FIELDS],
      body: { schema: refTo(names.update), form: refTo(names.updateForm), examples },
      responses: {
        '200': jsonResponse('The updated record.', refTo(names.record), { ...record, ...change }),
        ...commonErrors(format, item, {
          400: 'Failed to update record.',
          403: collection.updateRule === null,
          404: true,
        }),
      },
      sdk: sdkSample(
        `const record = await pb.collection('${name}').update('RECORD_ID', ${JSON.stringify(change ?? {})});`,
      ),
    });
  }
  if (!readOnly && served(collection, 'deleteRule', audience)) {
    ops.push({
      method: 'delete',
      path: item,
      tag,
      summary: `Delete a ${name} record`,
      description: `Who may delete: ${ruleText(collection.deleteRule)} Cascades and detaches follow the relations.`,
      operationId: `delete_${name}`,
      auth: 'optional',
      parameters: [ID_PARAM],
      responses: {
        '204': NO_CONTENT,
        ...commonErrors(format, item, {
          400: 'Failed to delete record.',
          403: collection.deleteRule === null,
          404: true,
        }),
      },
      sdk: sdkSample(`await pb.collection('${name}').delete('RECORD_ID');`),
    });
  }
  return group(ops);
}

/** The field errors an empty create body gets, or undefined when an empty body is a valid record. */
function emptyCreateErrors(
  schemas: CollectionSchemas,
  createName: string,
): Record<string, { code: string; message: string }> | undefined {
  const required = (schemas.components[createName]?.required as string[] | undefined) ?? [];
  if (!required.length) return undefined;
  return Object.fromEntries(required.map((key) => [key, { code: 'validation_required', message: 'Cannot be blank.' }]));
}

/** Operation specs grouped as OpenAPI paths. */
export function group(ops: OperationSpec[]): Record<string, Record<string, JsonSchema>> {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const spec of ops) (paths[spec.path] ??= {})[spec.method] = operation(spec);
  return paths;
}
