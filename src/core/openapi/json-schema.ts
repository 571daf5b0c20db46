// Turns the valibot schemas that validate into JSON Schema (draft 2020-12, what OpenAPI 3.1 uses), reading the
// keywords each check carries (fields/json-schema.ts): the reference says what the validator checks, nothing else.
import { toJsonSchema } from '@valibot/to-json-schema';
import type * as v from 'valibot';
import { keywordsOf, type JsonKeywords } from '../fields/json-schema.js';

export type JsonSchema = Record<string, unknown>;

/** Adds `keywords` to `schema`: descriptions join, a second `anyOf` goes under `allOf`, the rest overwrite. */
export function mergeKeywords(schema: JsonSchema, keywords: JsonKeywords): JsonSchema {
  const out: JsonSchema = { ...schema };
  for (const [key, value] of Object.entries(keywords)) {
    if (key === 'description' && typeof out.description === 'string') {
      out.description = `${out.description} ${String(value)}`;
    } else if (key === 'anyOf' && out.anyOf !== undefined) {
      out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), { anyOf: value }];
    } else {
      out[key] = value;
    }
  }
  return out;
}

/**
 * JSON Schema of a valibot schema. Built-in actions convert as the library converts them; a check carrying
 * keywords adds them; a check without (a closure JSON Schema cannot say) is left out, not guessed at.
 */
export function jsonSchemaOf(schema: v.GenericSchema): JsonSchema {
  const converted = toJsonSchema(schema, {
    target: 'draft-2020-12',
    errorMode: 'ignore',
    overrideSchema: ({ valibotSchema, jsonSchema }) => {
      const keywords = keywordsOf(valibotSchema);
      return keywords ? mergeKeywords(jsonSchema as JsonSchema, keywords) : undefined;
    },
    overrideAction: ({ valibotAction, jsonSchema }) => {
      const keywords = keywordsOf(valibotAction);
      return keywords ? mergeKeywords(jsonSchema as JsonSchema, keywords) : undefined;
    },
  }) as JsonSchema;
  // The document carries one $schema of its own (jsonSchemaDialect).
  delete converted.$schema;
  return converted;
}
