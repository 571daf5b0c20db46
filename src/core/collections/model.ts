// The collection model: what a collection file holds once it has been read and completed.
import type { FieldDefinition } from '../fields/index.js';

export type CollectionType = 'base' | 'auth' | 'view';

export const RULE_NAMES = ['listRule', 'viewRule', 'createRule', 'updateRule', 'deleteRule'] as const;
export type RuleName = (typeof RULE_NAMES)[number];

/** A collection as the engine uses it: system fields included, relation targets resolved to ids. */
export interface Collection {
  id: string;
  name: string;
  type: CollectionType;
  system: boolean;
  fields: FieldDefinition[];
  indexes: string[];
  listRule: string | null;
  viewRule: string | null;
  createRule: string | null;
  updateRule: string | null;
  deleteRule: string | null;
  /** A view collection's SELECT; its fields are inferred from the query's columns when the view is created. */
  viewQuery?: string;
  /** Type-specific options (auth settings), kept as written. */
  options: Record<string, unknown>;
}

/** Where a collection came from, for error messages. */
export interface CollectionSource {
  file: string;
  collection: Collection;
}
