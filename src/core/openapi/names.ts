// Names in the document: component names per collection, and turning Hono's `:param` paths into OpenAPI's `{param}`.
import type { Collection } from '../collections/model.js';

/** `blog_posts` -> `BlogPosts`, `_superusers` -> `Superusers`: the prefix of a collection's component names. */
export function typeName(collection: Pick<Collection, 'name'>): string {
  const pascal = collection.name
    .split('_')
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
  return pascal || 'Collection';
}

/** `/users/:id` -> `/users/{id}` (a `:id{[0-9]+}` constraint is dropped). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}');
}

/** The parameters `{id}` in an OpenAPI path. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
}
