// The OpenAPI 3.1 document of a server as it is now: every collection's records and auth routes, the system
// routes, and the routes extensions describe; built from the live schema, without HTTP.
import type { Collection } from '../collections/model.js';
import { RULE_NAMES } from '../collections/model.js';
import type { ErrorFormat } from '../settings/settings.js';
import { errorSchemas } from './errors.js';
import type { JsonSchema } from './json-schema.js';
import { SAMPLE_BASE } from './operation.js';
import { adminPaths } from './paths-admin.js';
import { authPaths } from './paths-auth.js';
import { recordPaths } from './paths-records.js';
import { systemPaths } from './paths-system.js';
import { collectionSchemas, type Audience } from './record-schemas.js';
import { routeOperation, type RouteDoc } from './routes.js';

export interface OpenApiInput {
  collections: readonly Collection[];
  /** public: what anyone may call (locked collections and operations left out); superuser: everything. */
  audience: Audience;
  /** The error format the server answers in (settings `errors`). */
  errorFormat: ErrorFormat;
  /** Whether POST /api/batch is on (settings `batch.enabled`). */
  batchEnabled: boolean;
  /** Routes described by extensions and plugins. */
  routes?: readonly RouteDoc[];
  /** The server's public address, for `servers`. */
  serverUrl?: string;
  title?: string;
  version?: string;
}

/** A collection whose five rules are all locked is for superusers only: the public document leaves it out. */
export function isPublic(collection: Collection): boolean {
  return RULE_NAMES.some((rule) => collection[rule] !== null);
}

export function buildOpenApiDocument(input: OpenApiInput): JsonSchema {
  const { audience, errorFormat } = input;
  // The app's own collections first; built-in ones (`_superusers`, `_externalAuths`...) after them.
  const builtIn = (c: Collection) => (c.name.startsWith('_') ? 1 : 0);
  const shown = input.collections
    .filter((c) => audience === 'superuser' || isPublic(c))
    .sort((a, b) => builtIn(a) - builtIn(b));
  const byId = new Map(shown.map((c) => [c.id, c]));
  const byName = new Map(shown.map((c) => [c.name, c]));
  const visible = (ref: string) => byId.get(ref) ?? byName.get(ref);

  const schemas: Record<string, JsonSchema> = { ...errorSchemas() };
  let paths: Record<string, Record<string, JsonSchema>> = {};
  const tags: JsonSchema[] = [];
  const add = (more: Record<string, Record<string, JsonSchema>>) => {
    for (const [path, methods] of Object.entries(more)) paths[path] = { ...paths[path], ...methods };
  };

  for (const collection of shown) {
    const built = collectionSchemas(collection, audience, visible);
    Object.assign(schemas, built.components);
    tags.push({
      name: collection.name,
      description: `Records of the ${collection.type} collection \`${collection.name}\`.`,
    });
    add(recordPaths(collection, built, audience, errorFormat));
    if (collection.type === 'auth') {
      tags.push({
        name: `${collection.name} auth`,
        description: `Sign-in and account flows of \`${collection.name}\`.`,
      });
      add(authPaths(collection, built, audience, errorFormat));
    }
  }
  add(systemPaths(errorFormat, input.batchEnabled));
  if (audience === 'superuser') add(adminPaths(errorFormat));
  for (const route of input.routes ?? []) {
    if (route.superusersOnly && audience !== 'superuser') continue;
    const { path, method, op } = routeOperation(route, errorFormat);
    add({ [path]: { [method]: op } });
  }
  paths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => pathOrder(a) - pathOrder(b)));
  if (input.serverUrl && input.serverUrl !== SAMPLE_BASE) withServerUrl(paths, input.serverUrl);

  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    info: {
      title: input.title ?? 'Satchel API',
      version: input.version ?? '1',
      description: [
        'Generated from the live schema: it changes as the collections change.',
        audience === 'public'
          ? 'This is the public reference: collections and operations only superusers may use are left out (a superuser token gets the whole one).'
          : "This is the superusers' reference: every collection and operation.",
        `Errors are ${errorFormat === 'problem+json' ? 'RFC 9457 problem details (application/problem+json)' : "PocketBase's `{status, message, data}`"}.`,
        'Examples show the answer to a caller the rules admit.',
      ].join(' '),
    },
    ...(input.serverUrl ? { servers: [{ url: input.serverUrl }] } : {}),
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: {
        token: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'An auth token from a sign-in (`auth-with-password`, ...), sent as is or as `Bearer <token>`.',
        },
      },
    },
  };
}

/** Collections first (as listed), then the system routes, then custom routes. */
function pathOrder(path: string): number {
  if (path.startsWith('/api/collections/')) return 0;
  if (path.startsWith('/api/')) return 1;
  return 2;
}

/** The code samples written for `SAMPLE_BASE`, pointed at the server's own address. */
function withServerUrl(paths: Record<string, Record<string, JsonSchema>>, url: string): void {
  for (const methods of Object.values(paths)) {
    for (const op of Object.values(methods)) {
      const samples = op['x-codeSamples'] as { source: string }[] | undefined;
      for (const sample of samples ?? []) sample.source = sample.source.split(SAMPLE_BASE).join(url);
    }
  }
}
