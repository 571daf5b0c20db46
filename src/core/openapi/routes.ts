// Routes that extensions describe (pb_hooks files, plugins): their bodies and answers as valibot schemas, so
// the document shows the shapes the route itself checks, with the statuses it answers.
import type * as v from 'valibot';
import type { ErrorData } from '../errors.js';
import type { ErrorFormat, Settings } from '../settings/settings.js';
import { errorResponse } from './errors.js';
import { jsonSchemaOf, type JsonSchema } from './json-schema.js';
import { openApiPath, pathParams } from './names.js';
import { operation, type AuthNeed, type Method, type RequestExample } from './operation.js';

/** One answer of a described route. */
export interface RouteResponseDoc {
  description: string;
  /**
   * An error in Satchel's format (the settings' `errors`, or the route's `errorFormat`): its message and field
   * errors make the example; no `body` is needed.
   */
  error?: { message: string; data?: ErrorData };
  /** The body's shape; none for an empty answer (204). */
  body?: v.GenericSchema;
  /** Default `application/json`. */
  contentType?: string;
  example?: unknown;
}

/** A route an extension adds, as the reference shows it: `app.describeRoute({...})`. */
export interface RouteDoc {
  method: Method;
  /** Hono's form (`/users/:id`) or OpenAPI's (`/users/{id}`). */
  path: string;
  summary: string;
  description?: string;
  /** The group it is listed under (default `custom routes`). */
  tag?: string;
  /** Default `optional`: a token is read when sent. */
  auth?: AuthNeed;
  /** The JSON body the route reads. */
  body?: v.GenericSchema;
  /** Query parameters, by name. */
  query?: Record<string, v.GenericSchema>;
  /** Example bodies and the status each gets (the tests send them). */
  examples?: Record<string, RequestExample>;
  /** Answers by status. */
  responses: Record<number, RouteResponseDoc>;
  /** Only in the superusers' document. */
  superusersOnly?: boolean;
  /** The error format the route answers in whatever the settings say (a contract that fixes it). */
  errorFormat?: ErrorFormat;
  /** The JS SDK call to show (default: `pb.send(path, ...)`). */
  sdk?: string;
}

/** What a describer may look at: the settings as they are when the document is built. */
export interface RouteDocContext {
  settings: Settings;
}

/** A route's description, or a function that gives it (or nothing: the route is not served now) per document. */
export type RouteDescriber = RouteDoc | ((context: RouteDocContext) => RouteDoc | undefined);

/** The operation object of a described route, keyed by its OpenAPI path. */
export function routeOperation(route: RouteDoc, format: ErrorFormat): { path: string; method: Method; op: JsonSchema } {
  const path = openApiPath(route.path);
  const parameters: JsonSchema[] = pathParams(path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  for (const [name, schema] of Object.entries(route.query ?? {})) {
    parameters.push({ name, in: 'query', required: false, schema: jsonSchemaOf(schema) });
  }
  const responses: Record<string, JsonSchema> = {};
  for (const [status, answer] of Object.entries(route.responses)) {
    if (answer.error && !answer.body) {
      const { message, data } = answer.error;
      responses[status] = errorResponse(
        route.errorFormat ?? format,
        Number(status),
        answer.description,
        message,
        data,
        path,
      );
      continue;
    }
    responses[status] = answer.body
      ? {
          description: answer.description,
          content: {
            [answer.contentType ?? 'application/json']: {
              schema: jsonSchemaOf(answer.body),
              ...(answer.example !== undefined ? { example: answer.example } : {}),
            },
          },
        }
      : { description: answer.description };
  }
  const op = operation({
    method: route.method,
    path,
    tag: route.tag ?? 'custom routes',
    summary: route.summary,
    description: route.description,
    operationId: `${route.method}${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
    auth: route.auth ?? 'optional',
    parameters,
    body: route.body ? { schema: jsonSchemaOf(route.body), examples: route.examples } : undefined,
    responses,
    sdk: route.sdk,
  });
  return { path, method: route.method, op };
}
