// Sends every request example of an OpenAPI document to a running server and checks it gets the status the
// document gives it, and that each answer's body matches the schema documented for that status.
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Validator } from '@seriousme/openapi-schema-validator';

type Json = Record<string, any>;

/** Problems with the document itself, by the OpenAPI 3.1 schema (empty when it is valid). */
export async function openApiProblems(doc: unknown): Promise<unknown[]> {
  const result = await new Validator().validate(doc as Parameters<Validator['validate']>[0]);
  return result.valid ? [] : (result.errors as unknown[]);
}

interface Call {
  method: string;
  path: string;
  op: Json;
  body?: unknown;
  status: number;
  label: string;
}

const ORDER = ['post', 'get', 'patch', 'put', 'delete'];

/** A record-create operation: it runs first, and the ids it answers with fill `{id}` in the record's other paths. */
const createdCollection = (path: string, method: string) =>
  method === 'post' ? /^\/api\/collections\/([^/]+)\/records$/.exec(path)?.[1] : undefined;

/** Every call the document's examples describe, in an order that lets later ones use what earlier ones created. */
function calls(doc: Json): Call[] {
  const out: Call[] = [];
  for (const [path, methods] of Object.entries<Json>(doc.paths)) {
    for (const [method, op] of Object.entries<Json>(methods)) {
      const examples: Json | undefined = op.requestBody?.content?.['application/json']?.examples;
      if (examples) {
        for (const [name, example] of Object.entries<Json>(examples)) {
          out.push({ method, path, op, body: example.value, status: example['x-status'], label: name });
        }
      } else if ((method === 'get' || method === 'delete') && !op.requestBody) {
        const success = Object.keys(op.responses).find((s) => s.startsWith('2'));
        const streams = success && op.responses[success].content?.['text/event-stream'];
        if (success && !streams) out.push({ method, path, op, status: Number(success), label: 'no body' });
      }
    }
  }
  const rank = (c: Call) =>
    createdCollection(c.path, c.method) && c.status < 300
      ? -1
      : ORDER.indexOf(c.method) + (c.path.startsWith('/api/') ? 0 : 0.5);
  return out.sort((a, b) => rank(a) - rank(b));
}

/** Fills a path's parameters from ids created earlier or the parameters' examples; undefined when it cannot. */
function fill(call: Call, created: Map<string, string>): string | undefined {
  const collection = /^\/api\/collections\/([^/]+)\//.exec(call.path)?.[1];
  let unresolved = false;
  const path = call.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const param = (call.op.parameters ?? []).find((p: Json) => p.in === 'path' && p.name === name);
    // A record's id is one an example created (a sample id would be a 404); other parameters use their example.
    const value = name === 'id' && collection ? created.get(collection) : param?.example;
    if (value === undefined) unresolved = true;
    return encodeURIComponent(String(value));
  });
  return unresolved ? undefined : path;
}

export interface ExampleRun {
  /** What was sent, for the test's own checks (`POST /api/... created -> 200`). */
  sent: string[];
  failures: string[];
}

/**
 * Runs the examples against `baseUrl` with `token` (a superuser's: the statuses are those of a caller the rules
 * admit). Record creates go first, deletes last.
 */
export async function runExamples(doc: Json, baseUrl: string, token: string): Promise<ExampleRun> {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  const created = new Map<string, string>();
  const sent: string[] = [];
  const failures: string[] = [];
  for (const call of calls(doc)) {
    const path = fill(call, created);
    if (path === undefined) continue;
    const label = `${call.method.toUpperCase()} ${call.path} ${call.label}`;
    const res = await fetch(`${baseUrl}${path}`, {
      method: call.method.toUpperCase(),
      headers: { authorization: token, ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
    });
    const text = await res.text();
    sent.push(`${label} -> ${res.status}`);
    if (res.status !== call.status) {
      failures.push(`${label}: expected ${call.status}, got ${res.status} ${text.slice(0, 300)}`);
      continue;
    }
    const collection = createdCollection(call.path, call.method);
    const json = text ? (JSON.parse(text) as Json) : undefined;
    if (collection && json?.id) created.set(collection, json.id);
    // The answer's body against the schema the document gives for this status.
    const content = call.op.responses[String(call.status)]?.content;
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!;
    const schema = content?.[type]?.schema;
    if (content && !schema) failures.push(`${label}: answered ${type}, documented ${Object.keys(content).join(', ')}`);
    if (schema) {
      const validate = ajv.compile({
        $ref: `openapi.json#/paths/${pointer(call.path)}/${call.method}/responses/${call.status}/content/${pointer(type)}/schema`,
      });
      if (!validate(json))
        failures.push(
          `${label}: body does not match its schema: ${ajv.errorsText(validate.errors)} ${text.slice(0, 300)}`,
        );
    }
  }
  return { sent, failures };
}

/** A JSON pointer segment. */
const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
