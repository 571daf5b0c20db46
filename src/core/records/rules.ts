// API rules: null is superusers only, "" is everyone, anything else is a filter expression.
import { ApiError } from '../errors.js';
import type { Collection, RuleName } from '../collections/model.js';
import type { Access } from './access.js';

/** What a rule means for one request: pass everything, or only rows the SQL condition keeps. */
export type RuleOutcome = { kind: 'all' } | { kind: 'where'; sql: string; params: unknown[] };

const ALL: RuleOutcome = { kind: 'all' };

/**
 * Resolves a collection rule for this caller. A locked (null) rule is a 403 for everyone but superusers.
 * Expressions are not compiled yet (the query-language issue brings them): until then they admit superusers only,
 * which is never more open than the rule intends.
 */
export function resolveRule(collection: Collection, rule: RuleName, access: Access): RuleOutcome {
  if (access.superuser) return ALL;
  const expression = collection[rule];
  if (expression === null) throw ApiError.forbidden('Only superusers can perform this action.');
  if (expression.trim() === '') return ALL;
  throw ApiError.forbidden('Only superusers can perform this action.');
}
