// Every field type tells the API reference what it checks: its valibot schema converts to JSON Schema with a
// type (or, for json, a description), and the keywords follow the options. A new type without a sample here
// fails, so its author decides what the reference should say about it.
import { describe, expect, it } from 'vitest';
import { fieldTypeNames, typeOf, type FieldDefinition } from '../../src/core/fields/index.js';
import { fieldSchema } from '../../src/core/openapi/record-schemas.js';

const SAMPLES: Record<string, Omit<FieldDefinition, 'id' | 'name'>> = {
  text: { type: 'text', min: 2, max: 9 },
  editor: { type: 'editor' },
  number: { type: 'number', min: 1, max: 5 },
  bool: { type: 'bool' },
  email: { type: 'email' },
  url: { type: 'url' },
  date: { type: 'date' },
  autodate: { type: 'autodate', onCreate: true },
  select: { type: 'select', values: ['a', 'b'] },
  json: { type: 'json' },
  relation: { type: 'relation', collectionId: 'users', maxSelect: 3 },
  file: { type: 'file', maxSelect: 2 },
  password: { type: 'password', min: 8 },
  geoPoint: { type: 'geoPoint' },
};

describe('field types in the API reference', () => {
  it('has a sample of every registered type', () => {
    expect(fieldTypeNames().sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  for (const [type, sample] of Object.entries(SAMPLES)) {
    it(`${type}: converts with a type or a description`, () => {
      const def = { id: `f_${type}`, name: type, ...sample } as FieldDefinition;
      expect(typeOf(def).type).toBe(type);
      const schema = fieldSchema(def);
      expect(schema.type ?? schema.description, JSON.stringify(schema)).toBeDefined();
    });
  }

  it('follows the options: bounds, values, lists, required', () => {
    const def = (extra: Omit<FieldDefinition, 'id' | 'name'>) => ({ id: 'f', name: 'f', ...extra }) as FieldDefinition;
    expect(fieldSchema(def({ type: 'text', min: 2, max: 9, required: true }))).toMatchObject({
      minLength: 2,
      maxLength: 9,
    });
    expect(fieldSchema(def({ type: 'number', min: 1, max: 5, required: true, onlyInt: true }))).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: 5,
      not: { const: 0 },
    });
    expect(fieldSchema(def({ type: 'select', values: ['a', 'b'], required: true }))).toMatchObject({
      enum: ['a', 'b'],
    });
    expect(fieldSchema(def({ type: 'relation', collectionId: 'x', maxSelect: 3, minSelect: 2 }))).toMatchObject({
      type: 'array',
      maxItems: 3,
      anyOf: [{ maxItems: 0 }, { minItems: 2 }],
    });
    expect(fieldSchema(def({ type: 'bool', required: true }))).toMatchObject({ type: 'boolean', const: true });
    expect(fieldSchema(def({ type: 'email', required: true }))).toMatchObject({ format: 'email', minLength: 1 });
  });
});
