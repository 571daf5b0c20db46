// A collection's schemas: the record as the API answers it, the create and update bodies (JSON and multipart),
// and the expand object, each field's schema converted from the valibot schema that validates it.
import type { Collection } from '../collections/model.js';
import { typeOf, type FieldDefinition } from '../fields/index.js';
import { GUEST, isSecret, isServerOwned, SUPERUSER } from '../records/index.js';
import { EXAMPLE_PASSWORD, exampleValue } from './examples.js';
import { jsonSchemaOf, type JsonSchema } from './json-schema.js';
import { typeName } from './names.js';

/** Who the document is for: anyone (hidden fields left out) or superusers (everything). */
export type Audience = 'public' | 'superuser';

/** The fields every record answer starts with (they are also what compiled.ts's LEADING_FIELDS lists). */
const LEADING = ['id', 'collectionId', 'collectionName'];

const isAuth = (collection: Collection) => collection.type === 'auth';

/** The field as the record engine's checks take it. */
const compiledField = (def: FieldDefinition) => ({ def, type: typeOf(def) });

/** The fields an answer shows to `audience`, in order, after id. */
export function shownFields(collection: Collection, audience: Audience): FieldDefinition[] {
  return collection.fields.filter(
    (f) => f.name !== 'id' && !isSecret(compiledField(f)) && (audience === 'superuser' || !f.hidden),
  );
}

/** The fields a body may set: those the write pipeline does not keep for the server (records' isServerOwned). */
export function writableFields(collection: Collection, op: 'create' | 'update', audience: Audience): FieldDefinition[] {
  const access = audience === 'superuser' ? SUPERUSER : GUEST;
  return collection.fields.filter((f) => !isServerOwned(collection, compiledField(f), op, access));
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The JSON Schema of one field's value. */
export function fieldSchema(field: FieldDefinition): JsonSchema {
  const schema = jsonSchemaOf(typeOf(field).schema(field));
  if (field.help) schema.description = [field.help, schema.description].filter(Boolean).join(' ');
  return schema;
}

/** A multipart upload part for a file field: one file, or several when maxSelect > 1. */
function uploadSchema(field: FieldDefinition): JsonSchema {
  const one = { type: 'string', format: 'binary', contentMediaType: 'application/octet-stream' };
  return typeOf(field).isMultiple?.(field) ? { type: 'array', items: one } : one;
}

export interface CollectionSchemas {
  /** Components to add, by name. */
  components: Record<string, JsonSchema>;
  /** The names of this collection's components. */
  names: { record: string; create: string; update: string; createForm: string; updateForm: string; list: string };
}

/**
 * The components of one collection: `<Name>Record`, `<Name>Expand`, `<Name>List`, `<Name>Create`,
 * `<Name>Update` and their multipart forms. `visible` tells whether a relation's target has components of its own.
 */
export function collectionSchemas(
  collection: Collection,
  audience: Audience,
  visible: (collectionId: string) => Collection | undefined,
): CollectionSchemas {
  const name = typeName(collection);
  const names = {
    record: `${name}Record`,
    expand: `${name}Expand`,
    list: `${name}List`,
    create: `${name}Create`,
    update: `${name}Update`,
    createForm: `${name}CreateForm`,
    updateForm: `${name}UpdateForm`,
  };
  const components: Record<string, JsonSchema> = {};

  // The record as answered.
  const recordProps: Record<string, JsonSchema> = {
    id: fieldSchema(collection.fields.find((f) => f.name === 'id')!),
    collectionId: { type: 'string', const: collection.id },
    collectionName: { type: 'string', const: collection.name },
  };
  const required = [...LEADING];
  for (const field of shownFields(collection, audience)) {
    recordProps[field.name] = fieldSchema(field);
    // An auth record's e-mail is left out for anyone but its owner and superusers while it is not made visible.
    if (!(isAuth(collection) && field.name === 'email')) required.push(field.name);
  }
  const relations = collection.fields.filter((f) => typeOf(f).references && !(f.hidden && audience === 'public'));
  if (relations.length) recordProps.expand = ref(names.expand);
  components[names.record] = {
    type: 'object',
    description: `A record of \`${collection.name}\`.`,
    properties: recordProps,
    required,
  };

  // expand: each relation's records, when `expand=` names it and the caller may view them.
  if (relations.length) {
    const expandProps: Record<string, JsonSchema> = {};
    for (const field of relations) {
      const target = visible(typeOf(field).references!.target(field));
      const one: JsonSchema = target ? ref(`${typeName(target)}Record`) : { type: 'object' };
      expandProps[field.name] = typeOf(field).isMultiple?.(field) ? { type: 'array', items: one } : one;
    }
    components[names.expand] = {
      type: 'object',
      description: 'Related records named by `expand`, each only where the caller may view it.',
      properties: expandProps,
    };
  }

  components[names.list] = {
    type: 'object',
    properties: {
      page: { type: 'integer', minimum: 1 },
      perPage: { type: 'integer', minimum: 1 },
      totalItems: { type: 'integer', description: '-1 with skipTotal.' },
      totalPages: { type: 'integer', description: '-1 with skipTotal.' },
      items: { type: 'array', items: ref(names.record) },
    },
    required: ['page', 'perPage', 'totalItems', 'totalPages', 'items'],
  };

  for (const op of ['create', 'update'] as const) {
    const json: Record<string, JsonSchema> = {};
    const form: Record<string, JsonSchema> = {};
    const requiredKeys: string[] = [];
    for (const field of writableFields(collection, op, audience)) {
      const type = typeOf(field);
      if (type.uploads) {
        form[field.name] = uploadSchema(field);
        json[field.name] = {
          ...fieldSchema(field),
          description: 'Stored file names to keep (uploads go in a multipart body).',
        };
      } else {
        json[field.name] = fieldSchema(field);
        form[field.name] = json[field.name]!;
      }
      // A value the server generates (ids, token keys) need not be sent.
      const generated = type.generate?.(field) !== undefined;
      if (op === 'create' && field.required && !generated && !type.uploads) requiredKeys.push(field.name);
      if (op === 'update') addModifiers(json, field);
    }
    if (isAuth(collection)) {
      json.passwordConfirm = { type: 'string', description: 'The new password again.' };
      if (op === 'create') requiredKeys.push('passwordConfirm');
      if (op === 'update')
        json.oldPassword = { type: 'string', description: 'The current password, to change it (not for superusers).' };
      form.passwordConfirm = json.passwordConfirm;
      if (json.oldPassword) form.oldPassword = json.oldPassword;
    }
    const key = op === 'create' ? names.create : names.update;
    components[key] = {
      type: 'object',
      properties: json,
      ...(requiredKeys.length ? { required: requiredKeys } : {}),
      description:
        op === 'create'
          ? 'Unknown keys are ignored. Values are cast as PocketBase casts them (numbers from text, ...).'
          : 'Only the keys sent change. `field+` / `field-` add to or remove from numbers and lists.',
    };
    components[op === 'create' ? names.createForm : names.updateForm] = {
      type: 'object',
      properties: form,
      ...(requiredKeys.length ? { required: requiredKeys } : {}),
      description: 'The same as the JSON body, with file uploads; a `@jsonPayload` part may carry the JSON fields.',
    };
  }
  return { components, names };
}

/** `views+`, `views-`, `tags+`, `+tags`, `tags-` for the fields that take modifiers. */
function addModifiers(props: Record<string, JsonSchema>, field: FieldDefinition): void {
  const type = typeOf(field);
  if (!type.modify) return;
  if (field.type === 'number') {
    props[`${field.name}+`] = { type: 'number', description: `Adds to ${field.name}.` };
    props[`${field.name}-`] = { type: 'number', description: `Subtracts from ${field.name}.` };
    return;
  }
  const items = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
  props[`${field.name}+`] = { ...items, description: `Appends to ${field.name}.` };
  props[`+${field.name}`] = { ...items, description: `Prepends to ${field.name}.` };
  props[`${field.name}-`] = { ...items, description: `Removes from ${field.name}.` };
}

/** A create body the validator accepts (`variant` keeps unique values apart), or undefined when none is safe. */
export function createExample(
  collection: Collection,
  audience: Audience,
  variant = 0,
): Record<string, unknown> | undefined {
  const body: Record<string, unknown> = {};
  for (const field of writableFields(collection, 'create', audience)) {
    if (field.name === 'id' || field.name === 'verified') continue;
    const type = typeOf(field);
    if (type.uploads || type.references) {
      if (field.required) return undefined;
      continue;
    }
    const value = exampleValue(field, variant);
    if (value === undefined) {
      if (field.required) return undefined;
      continue;
    }
    body[field.name] = value;
  }
  if (isAuth(collection)) body.passwordConfirm = body.password ?? EXAMPLE_PASSWORD;
  return body;
}

/** An update body: the first plain field of the create example, given another value. */
export function updateExample(collection: Collection, audience: Audience): Record<string, unknown> | undefined {
  for (const field of writableFields(collection, 'update', audience)) {
    const type = typeOf(field);
    if (type.sealed || type.uploads || type.references || field.name === 'email' || field.name === 'verified') continue;
    const value = exampleValue(field, 7);
    if (value !== undefined) return { [field.name]: value };
  }
  return undefined;
}

/** The record an example create answers with (ids and times are samples). */
export function recordExample(
  collection: Collection,
  audience: Audience,
  body: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const record: Record<string, unknown> = {
    id: 'k3j9x0q2m1b7c4d',
    collectionId: collection.id,
    collectionName: collection.name,
  };
  for (const field of shownFields(collection, audience)) {
    const type = typeOf(field);
    record[field.name] = type.autoValue ? '2025-01-03 12:23:01.865Z' : (body?.[field.name] ?? type.empty(field));
  }
  return record;
}
