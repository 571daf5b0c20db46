// The JSON Schema keywords a validation step enforces, attached to the step itself: the API reference
// (src/core/openapi) converts the very schemas that validate, so what it says cannot drift from what is checked.
/** JSON Schema keywords, as plain JSON. */
export type JsonKeywords = Record<string, unknown>;

/** The key under which a valibot action or schema carries the keywords it enforces. */
export const JSON_KEYWORDS = '~satchelJsonSchema';

type Annotated = { readonly [JSON_KEYWORDS]?: JsonKeywords };

/** `action` (or a schema), carrying `keywords`; nothing changes in how it validates. */
export function withKeywords<A extends object>(action: A, keywords: JsonKeywords): A {
  return Object.assign(action, { [JSON_KEYWORDS]: keywords });
}

/** The keywords `item` was annotated with, if any. */
export function keywordsOf(item: unknown): JsonKeywords | undefined {
  return (item as Annotated | null)?.[JSON_KEYWORDS];
}

/**
 * Keywords that hold only for a non-empty value of an optional field (PocketBase skips bounds on an empty one):
 * `{anyOf: [empty, keywords]}`, or the keywords alone when the field is required.
 */
export function unlessEmpty(required: boolean | undefined, empty: JsonKeywords, keywords: JsonKeywords): JsonKeywords {
  return required ? keywords : { anyOf: [empty, keywords] };
}
