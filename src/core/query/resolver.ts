// Owns the contract between the filter compiler and whoever knows the collections (the record engine).
import type { FilterDialect } from './dialect.js';

/** A piece of SQL with the values of its `?` placeholders, in order. */
export interface SqlFragment {
  sql: string;
  params: unknown[];
}

/**
 * Describes the elements of a multi-valued identifier: a multi select/relation/file with `:each`,
 * a path through a multi relation (`editors.name`), a back-relation, and so on.
 *
 * `eachSql` must be usable right after `FROM` and produce one row per element with a column
 * named `value`, for example:
 *   - `json_each("posts"."tags")`
 *   - `(SELECT "u"."name" AS value FROM json_each("posts"."editors") AS je
 *      LEFT JOIN "users" AS "u" ON "u"."id" = je.value)`
 * It may reference the outer row (`"posts"...`): the compiler only ever places it in a correlated
 * subquery. Use LEFT JOINs inside it to mirror PocketBase (a dangling relation id yields a NULL element).
 *
 * How the compiler uses it (C(x) is the comparison with x in place of the identifier):
 *   - any-of (`?=`, `?~`, ...): "some element satisfies C". An empty set behaves as one NULL
 *     element, exactly like PocketBase's LEFT JOIN (so `tags:each ?= ""` matches `[]`).
 *       not joined: `EXISTS (SELECT 1 FROM (SELECT value FROM <each> UNION ALL
 *                    SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM <each>)) AS __mN WHERE C(__mN.value))`
 *       joined:     `C(<sql>)`  (see `joined`)
 *   - all-of (plain `=`, `~`, ...): any-of AND `NOT EXISTS (SELECT 1 FROM <each> AS __mN
 *     WHERE NOT (C(__mN.value)))`, i.e. "at least one element (or the NULL stand-in for an
 *     empty set) matches and none fails" - PocketBase's "match-all" subquery.
 * Both sides multi-valued: the element sets are cross joined in the same way.
 */
export interface MultiValueSource {
  /** Row source usable as `FROM <eachSql>`, yielding a `value` column (see above). */
  eachSql: string;
  /** Bound parameters used by `eachSql`, in placeholder order. */
  eachParams: unknown[];
  /**
   * PocketBase-style join mode. When true, the identifier's `sql` is already a per-element
   * expression over LEFT JOINs listed in `joins` (e.g. `LEFT JOIN json_each("posts"."tags") AS "__je_tags"`
   * with `sql` = `"__je_tags"."value"`); any-of then compiles to the plain comparison on `sql`, so several
   * conditions on the same path are checked against the same element, and the main query MUST
   * de-duplicate rows (SELECT DISTINCT / GROUP BY id). When false or absent, `sql` is not used
   * for comparisons and the compiler builds self-contained EXISTS subqueries (no duplicates).
   */
  joined?: boolean;
}

/** What a {@link FieldResolver} returns for one identifier. */
export interface ResolvedIdentifier {
  /** SQL expression (already quoted identifiers), e.g. `"posts"."title"`, or `?` for a request value. */
  sql: string;
  /** Bound parameters the sql uses, in order of their `?` placeholders. */
  params: unknown[];
  /**
   * Set when the identifier is multi-valued (multi select/relation/file, or a path through one):
   * plain operators mean ALL elements match, `?`-operators mean ANY. See {@link MultiValueSource}.
   */
  multiple?: MultiValueSource;
  /** Joins (already SQL) the expression needs; the compiler concatenates them, deduplicated by string. */
  joins?: string[];
  /** When true, `=`/`!=` use plain `IS`/`IS NOT` with no ''/NULL fallback (JSON fields, `:changed`...). */
  noNullFallback?: boolean;
  /**
   * Extra condition ANDed onto every comparison that uses this identifier, PocketBase's `AfterBuild`
   * (e.g. `"users"."emailVisibility" = 1` so only public emails can be matched).
   */
  guard?: SqlFragment;
}

/**
 * Resolves identifiers to SQL. Implemented by the record engine.
 *
 * Notes for implementers:
 *   - Macros (`@now`, `@year`, ...) never reach the resolver; the compiler handles them.
 *   - `null`, `true` and `false` are passed to the resolver first; if it throws, they become literals.
 *   - A request value (e.g. `@request.auth.id` for a guest) is best returned as `{ sql: '?', params: [''] }`:
 *     a single `''`/null parameter is treated as "empty" by the `=`/`!=` null handling, like PocketBase.
 *   - Sort names from `parseSort` go through the same resolver.
 */
export interface FieldResolver {
  /** How the SQL this filter compiles to is spelled (null-safe comparisons, LIKE, strftime). */
  readonly dialect: FilterDialect;
  /** Throws FilterError for unknown names. name is the raw identifier text incl. modifiers like `title:lower`, `tags:length`, `@request.auth.id`. */
  resolve(name: string): ResolvedIdentifier;
}
