// API rules: null is superusers only, "" is everyone, anything else is a filter expression compiled to SQL.
import { ApiError } from '../../errors.js';
import { buildFilter } from '../../query/index.js';
import type { Collection, RuleName } from '../../collections/model.js';
import type { Access } from '../access.js';
import type { Catalog } from '../catalog.js';
import { RecordFieldResolver } from './field-resolver.js';
import { EMPTY_REQUEST, type RequestInfo } from '../request-info.js';
import type { RecordJson } from '../read/export.js';

/** What a rule means for one request: pass everything, or only rows the SQL condition keeps. */
export type RuleOutcome = { kind: 'all' } | { kind: 'where'; sql: string; params: unknown[]; joins: string[] };

/** The outcome of an open rule (or a superuser): every record passes. */
export const ALL_RULE: RuleOutcome = { kind: 'all' };

/** Rules of auth collections beyond the five every collection has. */
export type AuthRuleName = 'authRule' | 'manageRule' | 'mfaRule';

export interface RuleContext {
  catalog: Catalog;
  access: Access;
  request?: RequestInfo;
  /** The stored record, for `:changed` in update rules. */
  existing?: RecordJson;
}

/** Throws the 403 of a locked (null) rule before anything is looked up, as PocketBase answers. */
export function assertUnlocked(collection: Collection, rule: RuleName, access: Access): void {
  if (!access.superuser && collection[rule] === null)
    throw ApiError.forbidden('Only superusers can perform this action.');
}

/** The rule's text: null when locked, '' when open. */
export function ruleText(collection: Collection, rule: RuleName | AuthRuleName): string | null {
  if (rule === 'authRule' || rule === 'manageRule')
    return (collection.options[rule] as string | null | undefined) ?? null;
  // `mfa.rule`: who must pass a second method; '' (the default) is everyone.
  if (rule === 'mfaRule') {
    const mfaRule = (collection.options.mfa as { rule?: unknown } | undefined)?.rule;
    return typeof mfaRule === 'string' ? mfaRule : '';
  }
  return collection[rule];
}

/**
 * Resolves a rule for this caller: superusers pass, a locked (null) rule is a 403, an expression
 * becomes a condition on rows of `collection` aliased `rootAlias`.
 */
export function resolveRule(
  ctx: RuleContext,
  collection: Collection,
  rule: RuleName | AuthRuleName,
  rootAlias = collection.name,
): RuleOutcome {
  if (ctx.access.superuser) return ALL_RULE;
  const expression = ruleText(collection, rule);
  if (expression === null) throw ApiError.forbidden('Only superusers can perform this action.');
  if (expression.trim() === '') return ALL_RULE;
  const resolver = new RecordFieldResolver({
    catalog: ctx.catalog,
    collection,
    rootAlias,
    access: ctx.access,
    request: ctx.request ?? EMPTY_REQUEST,
    existing: ctx.existing,
    client: false,
  });
  return { kind: 'where', ...buildFilter(expression, resolver) };
}
