// The shape every field type implements: one object per type, registered in index.ts.
import type * as v from 'valibot';

/** A field as written in a collection file (PocketBase's schema: common props plus type options). */
export interface FieldDefinition {
  id: string;
  name: string;
  type: string;
  system?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  required?: boolean;
  help?: string;
  [option: string]: unknown;
}

/** What a field type tells the engine: its options, its column, how input is cast, checked and stored. */
export interface FieldType {
  readonly type: string;
  /** valibot schema for this type's options in a collection file (unknown keys are refused). */
  readonly options: v.GenericSchema;
  /** Column type and default for CREATE TABLE / ALTER TABLE ADD COLUMN. */
  column(field: FieldDefinition): string;
  /** True when the value is a list (stored as a JSON array). */
  isMultiple?(field: FieldDefinition): boolean;
  /** The value of an empty field, as the API shows it. */
  empty(field: FieldDefinition): unknown;
  /** Turns a raw body value into this type's value; input it cannot cast is returned as is, for `schema` to refuse. */
  cast(raw: unknown, field: FieldDefinition): unknown;
  /** valibot schema that checks a cast value against the field's options. */
  schema(field: FieldDefinition): v.GenericSchema;
  /** Value as bound to SQLite. */
  toDb(value: unknown, field: FieldDefinition): unknown;
  /** Value as read from SQLite, shaped for JSON. */
  fromDb(value: unknown, field: FieldDefinition): unknown;
  /** Server-managed value on create/update (autodate); client input is ignored when present. */
  autoValue?(field: FieldDefinition, op: 'create' | 'update', now: string): string | undefined;
  /** Hidden from clients whatever the `hidden` option says (password). */
  alwaysHidden?: boolean;
}
