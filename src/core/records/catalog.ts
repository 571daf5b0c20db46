// What the record engine knows about the served collections: lookups, compiled forms, who references whom.
import type { Dialect } from '../db/dialect.js';
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import { CollectionCompiler, type CompiledCollection, type CompiledField } from './compiled.js';

/** A field, in any served collection, that points at some collection. */
export interface Reference {
  collection: Collection;
  field: CompiledField;
  required: boolean;
  cascadeDelete: boolean;
}

export class Catalog {
  private readonly compiler: CollectionCompiler;
  /** Incoming references per target, rebuilt when the served collections change. */
  private incoming = new WeakMap<Collection, Reference[]>();
  private incomingOf: readonly Collection[] | undefined;

  constructor(
    readonly registry: CollectionRegistry,
    readonly dialect: Dialect,
  ) {
    this.compiler = new CollectionCompiler(dialect);
  }

  /** The collection with this id or name, or undefined. */
  find(ref: string): Collection | undefined {
    return this.registry.find(ref);
  }

  /** The collection with this id or name; 404 when there is none. */
  collection(ref: string): Collection {
    const collection = this.registry.find(ref);
    if (!collection) throw ApiError.notFound('Missing collection context.');
    return collection;
  }

  compiled(collection: Collection): CompiledCollection {
    return this.compiler.compile(collection);
  }

  /** Every field, in any served collection, that points at `target`. */
  referencesTo(target: Collection): Reference[] {
    const all = this.registry.all();
    if (this.incomingOf !== all) {
      this.incoming = new WeakMap();
      this.incomingOf = all;
    }
    let refs = this.incoming.get(target);
    if (!refs) {
      refs = [];
      for (const collection of all) {
        for (const field of this.compiled(collection).references) {
          const references = field.type.references!;
          if (references.target(field.def) !== target.id) continue;
          refs.push({
            collection,
            field,
            required: field.def.required === true,
            cascadeDelete: references.cascadeDelete(field.def),
          });
        }
      }
      this.incoming.set(target, refs);
    }
    return refs;
  }

  /** The collection a reference field points at, when it is served. */
  targetOf(field: CompiledField): Collection | undefined {
    const references = field.type.references;
    return references ? this.registry.find(references.target(field.def)) : undefined;
  }
}
