// One operation of the document: its parameters, body, responses, and the curl and JS SDK samples readers copy.
import type { ErrorFormat } from '../settings/settings.js';
import { errorResponse } from './errors.js';
import type { JsonSchema } from './json-schema.js';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** A request body example and the status the server answers it with (checked by the tests). */
export interface RequestExample {
  summary: string;
  value: unknown;
  status: number;
}

/** Who may call an operation: no token needed, a token optional (rules decide), a token required. */
export type AuthNeed = 'none' | 'optional' | 'required';

export interface OperationSpec {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  operationId: string;
  auth: AuthNeed;
  parameters?: JsonSchema[];
  body?: { schema: JsonSchema; form?: JsonSchema; examples?: Record<string, RequestExample>; required?: boolean };
  responses: Record<string, JsonSchema>;
  /** The JS SDK call for this operation (`await pb.collection('posts').create({...})`). */
  sdk?: string;
}

/** The OpenAPI operation object of `spec`, with its code samples. */
export function operation(spec: OperationSpec): JsonSchema {
  const op: JsonSchema = {
    tags: [spec.tag],
    summary: spec.summary,
    operationId: spec.operationId,
    ...(spec.description ? { description: spec.description } : {}),
    ...(spec.parameters?.length ? { parameters: spec.parameters } : {}),
  };
  if (spec.auth === 'required') op.security = [{ token: [] }];
  else if (spec.auth === 'optional') op.security = [{}, { token: [] }];
  else op.security = [];
  if (spec.body) {
    const content: JsonSchema = {
      'application/json': {
        schema: spec.body.schema,
        ...(spec.body.examples ? { examples: exampleObjects(spec.body.examples) } : {}),
      },
    };
    if (spec.body.form) content['multipart/form-data'] = { schema: spec.body.form };
    op.requestBody = { required: spec.body.required ?? true, content };
  }
  op.responses = spec.responses;
  const first = spec.body?.examples ? Object.values(spec.body.examples)[0] : undefined;
  op['x-codeSamples'] = [
    { lang: 'Shell', label: 'curl', source: curlSample(spec, first?.value) },
    { lang: 'JavaScript', label: 'JS SDK', source: spec.sdk ?? sendSample(spec, first?.value) },
  ];
  return op;
}

function exampleObjects(examples: Record<string, RequestExample>): JsonSchema {
  return Object.fromEntries(
    Object.entries(examples).map(([name, e]) => [
      name,
      { summary: `${e.summary} (${e.status})`, value: e.value, 'x-status': e.status },
    ]),
  );
}

/** The address samples are written with; the document puts the server's own in its place. */
export const SAMPLE_BASE = 'http://127.0.0.1:8090';

function curlSample(spec: OperationSpec, body: unknown): string {
  const lines = [`curl -X ${spec.method.toUpperCase()} '${SAMPLE_BASE}${spec.path}'`];
  if (spec.auth !== 'none') lines.push(`  -H "Authorization: $TOKEN"`);
  if (body !== undefined) {
    lines.push(`  -H 'content-type: application/json'`);
    lines.push(`  -d '${JSON.stringify(body).replace(/'/g, "'\\''")}'`);
  }
  return lines.join(' \\\n');
}

/** `pb.send(path, {...})`: the SDK's call for any route it has no method for. */
function sendSample(spec: OperationSpec, body: unknown): string {
  const options = [`method: '${spec.method.toUpperCase()}'`];
  if (body !== undefined) options.push(`body: ${JSON.stringify(body)}`);
  return `import PocketBase from 'pocketbase';\n\nconst pb = new PocketBase('${SAMPLE_BASE}');\nconst result = await pb.send('${spec.path}', { ${options.join(', ')} });`;
}

/** The SDK preamble for a sample that calls `line`. */
export function sdkSample(line: string): string {
  return `import PocketBase from 'pocketbase';\n\nconst pb = new PocketBase('${SAMPLE_BASE}');\n${line}`;
}

/** The common error answers of an operation, in the server's error format. */
export function commonErrors(
  format: ErrorFormat,
  path: string,
  which: { 400?: string; 401?: boolean; 403?: boolean; 404?: boolean },
): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  if (which[400]) out['400'] = errorResponse(format, 400, 'The body or a parameter was refused.', which[400], {}, path);
  if (which[401])
    out['401'] = errorResponse(
      format,
      401,
      'A token is needed.',
      'The request requires valid record authorization token.',
      {},
      path,
    );
  if (which[403])
    out['403'] = errorResponse(
      format,
      403,
      'The caller may not do this.',
      'Only superusers can perform this action.',
      {},
      path,
    );
  if (which[404])
    out['404'] = errorResponse(
      format,
      404,
      'Not found, or hidden by the rules.',
      "The requested resource wasn't found.",
      {},
      path,
    );
  return out;
}

/** A JSON response with a schema and an example. */
export function jsonResponse(description: string, schema: JsonSchema, example?: unknown): JsonSchema {
  return {
    description,
    content: { 'application/json': { schema, ...(example !== undefined ? { example } : {}) } },
  };
}

export const NO_CONTENT: JsonSchema = { description: 'Done; no body.' };
