// Example values for a collection's fields, each one checked by the field's own validator before it is used:
// an example the server would refuse is left out rather than printed.
import * as v from 'valibot';
import { typeOf, type FieldDefinition } from '../fields/index.js';

/** A value of `field` the validator accepts, or undefined when none of the candidates passes. */
export function exampleValue(field: FieldDefinition, variant: number): unknown {
  const type = typeOf(field);
  const schema = type.schema(field);
  for (const candidate of candidates(field, variant)) {
    if (v.safeParse(schema, candidate).success) return candidate;
  }
  return undefined;
}

/** The password the examples use (auth collections, PUT /user). */
export const EXAMPLE_PASSWORD = 'password123';

const SAMPLE_TIME = '2025-01-03 12:23:01.865Z';

/** Text fitted to a field's length bounds. */
function fit(text: string, field: FieldDefinition): string {
  const min = typeof field.min === 'number' ? field.min : 0;
  const max = typeof field.max === 'number' && field.max > 0 ? field.max : 5000;
  return text.padEnd(min, 'x').slice(0, max);
}

function candidates(field: FieldDefinition, variant: number): unknown[] {
  const suffix = variant === 0 ? '' : String(variant);
  switch (field.type) {
    case 'text':
      // A readable value first; a pattern that refuses spaces gets the plainer ones.
      return [
        `Example ${field.name}${suffix}`,
        `${field.name}${suffix}`,
        `example${suffix}`,
        `${field.name}_${variant}`,
        `a${variant}`,
      ].map((text) => fit(text, field));
    case 'editor':
      return [`<p>Example ${field.name}${suffix}</p>`];
    case 'password':
      return [EXAMPLE_PASSWORD, fit(EXAMPLE_PASSWORD, field)];
    case 'email':
      return [`${field.name}${suffix}@example.com`.toLowerCase(), `user${suffix}@example.com`];
    case 'url':
      return ['https://example.com', `https://example.com/${field.name}`];
    case 'number': {
      const min = typeof field.min === 'number' ? field.min : undefined;
      const max = typeof field.max === 'number' ? field.max : undefined;
      return [42 + variant, min, max, 1].filter((n) => n !== undefined && n !== 0);
    }
    case 'bool':
      return [true];
    case 'date':
      return [SAMPLE_TIME, field.min, field.max].filter((d) => typeof d === 'string');
    case 'select': {
      const values = Array.isArray(field.values) ? (field.values as string[]) : [];
      const multiple = typeof field.maxSelect === 'number' && field.maxSelect > 1;
      return values.length ? [multiple ? [values[0]] : values[0]] : [];
    }
    case 'json':
      return [{ key: 'value' }];
    case 'geoPoint':
      return [{ lon: 23.32, lat: 42.69 }];
    default:
      // Relations need ids that exist, files need uploads: no example value is safe for them.
      return [];
  }
}
