// Compiles every rule of every served collection once at boot, so a broken rule stops the server, not a request.
import { DefinitionError } from '../../errors.js';
import { FilterError } from '../../query/index.js';
import { RULE_NAMES, type Collection } from '../../collections/model.js';
import { GUEST } from '../access.js';
import type { Catalog } from '../catalog.js';
import { resolveRule } from './resolve.js';

const AUTH_RULES = ['authRule', 'manageRule', 'mfaRule'] as const;

/** Throws a DefinitionError naming the collection and the rule when a rule does not compile. */
export function checkRules(catalog: Catalog, collections: readonly Collection[]): void {
  for (const collection of collections) {
    const names = collection.type === 'auth' ? [...RULE_NAMES, ...AUTH_RULES] : RULE_NAMES;
    for (const rule of names) {
      try {
        resolveRule({ catalog, access: GUEST }, collection, rule);
      } catch (err) {
        if (err instanceof FilterError) {
          throw new DefinitionError(`collection "${collection.name}"`, `${rule}: ${err.message}`);
        }
        // A locked rule is a 403 for guests: nothing to check.
      }
    }
  }
}
