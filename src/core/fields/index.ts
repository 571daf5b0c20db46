// The field type registry: a new type is one file and one line here.
import { autodateField } from './autodate.js';
import { boolField } from './bool.js';
import { dateField } from './date.js';
import { editorField } from './editor.js';
import { emailField } from './email.js';
import { fileField } from './file.js';
import { geoPointField } from './geo-point.js';
import { jsonField } from './json.js';
import { numberField } from './number.js';
import { passwordField } from './password.js';
import { relationField } from './relation.js';
import { selectField } from './select.js';
import { textField } from './text.js';
import type { FieldDefinition, FieldType } from './types.js';
import { urlField } from './url.js';

// Each type reads its own options; the engine holds them as plain definitions.
const registry = new Map<string, FieldType>(
  (
    [
      textField,
      editorField,
      numberField,
      boolField,
      emailField,
      urlField,
      dateField,
      autodateField,
      selectField,
      jsonField,
      relationField,
      fileField,
      passwordField,
      geoPointField,
    ] as unknown as FieldType[]
  ).map((t) => [t.type, t]),
);

/** The field type named `type`, or undefined when there is none. */
export function fieldType(type: string): FieldType | undefined {
  return registry.get(type);
}

/** The type of a field that passed the loader (its type is registered). */
export function typeOf(field: FieldDefinition): FieldType {
  const type = registry.get(field.type);
  if (!type) throw new Error(`unknown field type "${field.type}"`);
  return type;
}

/** Every registered type name, for error messages. */
export function fieldTypeNames(): string[] {
  return [...registry.keys()];
}

export type { FieldDefinition, FieldType } from './types.js';
