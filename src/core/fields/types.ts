// The shape every field type implements: one object per type, registered in index.ts.
import type * as v from 'valibot';
import type { ColumnSpec, Dialect } from '../db/dialect.js';
import type { FieldError } from '../errors.js';

/** A field as written in a collection file (PocketBase's schema: common props plus the type's options). */
export interface FieldDefinition {
  id: string;
  name: string;
  type: string;
  system?: boolean;
  hidden?: boolean;
  presentable?: boolean;
  required?: boolean;
  help?: string;
  /** The type's own options; each type reads them typed, through its options schema (see FieldType<O>). */
  readonly [option: string]: unknown;
}

export type Op = 'create' | 'update';

/** The `field+` / `+field` / `field-` input modifiers: append, prepend, remove (or add and subtract). */
export type ModifierKind = 'x+' | '+x' | 'x-';

/**
 * A field whose plain input never reaches the record: it is checked, then sealed (a password hashed) before
 * the write, and the stored value is only ever compared, never shown.
 */
export interface SealedInput<O> {
  /** The problem with a plain value, if any (the field's own rules: length, pattern). */
  check(plain: string, field: O): FieldError | undefined;
  /** The value to store for `plain`. Runs before the write transaction: it may be slow. */
  seal(plain: string, field: O): Promise<string>;
  /** True when `plain` matches the stored value. */
  matches(stored: string, plain: string): Promise<boolean>;
  /** True when a stored value that matches should be sealed anew (a password hashed in an older scheme). */
  outdated?(stored: string): boolean;
}

/** A field that holds uploaded files: what it accepts, who may read its files, which thumbnails it makes. */
export interface UploadOptions<O> {
  /** The problem with one upload (`size` bytes, `mime` as told by its content), if any. */
  check(field: O, upload: { name: string; size: number; mime: string }): FieldError | undefined;
  /** Files that only a caller with a file token and the view rule may read. */
  isProtected(field: O): boolean;
  /** The thumbnail sizes (`100x100`, `0x50`, `100x100t`...) the field allows. */
  thumbs(field: O): string[];
}

/** A field that points at records of another collection. */
export interface ReferenceOptions<O> {
  /** The target collection's id (or name, in a hand-written file, until the loader resolves it). */
  target(field: O): string;
  /** The same field pointing at `collectionId`. */
  retarget(field: O, collectionId: string): O;
  /** Whether deleting the target deletes the records that point at it (else they are detached). */
  cascadeDelete(field: O): boolean;
}

/**
 * What a field type tells the engine: its options, its storage, how input is cast, checked and stored.
 * `O` is the type's options as its schema reads them. Members past `fromDb` are capabilities only some types
 * have; the engine asks for them instead of testing a type's name.
 */
export interface FieldType<O extends FieldDefinition = FieldDefinition> {
  readonly type: string;
  /** valibot schema of this type's options in a collection file (unknown keys are refused). */
  readonly options: v.GenericSchema<unknown, O>;
  /** How the value is stored: the dialect turns it into a column. */
  storage(field: O): ColumnSpec;
  /** The value of an empty field, as the API shows it. */
  empty(field: O): unknown;
  /** Turns a raw body value into this type's value; input it cannot cast is returned as is, for `schema` to refuse. */
  cast(raw: unknown, field: O): unknown;
  /** valibot schema that checks a cast value against the field's options. */
  schema(field: O): v.GenericSchema;
  /** Value as bound to the database. */
  toDb(value: unknown, field: O): unknown;
  /** Value as read from the database, shaped for JSON. */
  fromDb(value: unknown, field: O): unknown;

  /** True when the value is a list (stored as a JSON array). */
  isMultiple?(field: O): boolean;
  /** The `field+` / `field-` modifiers; a type without it ignores them. */
  modify?(field: O, current: unknown, raw: unknown, kind: ModifierKind): unknown;
  /** Server-managed value on create/update (autodate); client input is ignored when the type has it. */
  autoValue?(field: O, op: Op, now: string): string | undefined;
  /** A value for a new record that left the field empty (text's autogeneratePattern: ids, token keys). */
  generate?(field: O): string | undefined;
  /** Plain input is sealed before the write (password); the value is never exported, filtered or sorted on. */
  sealed?: SealedInput<O>;
  /** Only auth collections may have a field of this type (password). */
  authOnly?: boolean;
  /** The field holds uploaded files (file): the write pipeline stores them around the record's write. */
  uploads?: UploadOptions<O>;
  /** The field points at records of another collection (relation). */
  references?: ReferenceOptions<O>;
  /** `=` compares the stored value as is, without PocketBase's ''/NULL equivalence (json). */
  exactEquality?: boolean;
  /**
   * `field.key...` in a filter: the SQL of a part of the value (geoPoint's lon and lat, a json field's path);
   * undefined when unknown.
   */
  subfield?(column: string, path: string[], field: O, dialect: Dialect): string | undefined;
  /** The SQL a filter compares for the bare field name, when not the column itself (json: the JSON value). */
  filterValue?(column: string, dialect: Dialect): string;
}
