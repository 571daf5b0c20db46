// Owns walking a parsed filter and turning it into parameterised SQL via a FieldResolver.

import type { Expr, Operand } from './ast.js';
import type { Value } from './compare.js';
import { FilterError, quoteForMessage } from './errors.js';
import { compileFunction } from './functions.js';
import { macroValue } from './macros.js';
import { compareValues } from './multi.js';
import { parseFilter } from './parser.js';
import type { FieldResolver, ResolvedIdentifier, SqlFragment } from './resolver.js';

/** Options for {@link compileFilter}. */
export interface CompileOptions {
  /** The instant the datetime macros (`@now`, `@todayStart`, ...) are computed from; defaults to now. */
  now?: Date;
}

/** A compiled filter: a WHERE condition, its bound params, and the joins it needs. */
export interface CompiledFilter {
  /** SQL condition; every user-supplied value is a `?` placeholder. Safe to AND with other conditions. */
  sql: string;
  /** Values for the `?` placeholders of `sql`, in order. */
  params: unknown[];
  /** JOIN clauses (as returned by the resolver), deduplicated, in first-use order. */
  joins: string[];
}

/** Identifiers that become literals when the resolver does not know them (case-insensitive). */
const FALLBACK_LITERALS = new Map<string, SqlFragment>([
  ['null', { sql: 'NULL', params: [] }],
  ['true', { sql: '?', params: [1] }],
  ['false', { sql: '?', params: [0] }],
]);

/**
 * Compiles a parsed filter to SQL. Literals are always bound parameters; identifiers go through
 * `resolver` (after the datetime macros, which the compiler binds itself).
 * Throws {@link FilterError} for unknown fields/functions and bad function arguments.
 */
export function compileFilter(expr: Expr, resolver: FieldResolver, options: CompileOptions = {}): CompiledFilter {
  const compiler = new Compiler(resolver, options.now ?? new Date());
  const { sql, params } = compiler.expr(expr);
  return { sql, params, joins: [...compiler.joins] };
}

/** Parses (cached) and compiles filter text in one step. */
export function buildFilter(text: string, resolver: FieldResolver, options: CompileOptions = {}): CompiledFilter {
  return compileFilter(parseFilter(text), resolver, options);
}

class Compiler {
  readonly joins = new Set<string>();
  private aliasCount = 0;
  private readonly nextAlias = (): string => `__m${++this.aliasCount}`;

  constructor(
    private readonly resolver: FieldResolver,
    private readonly now: Date,
  ) {}

  expr(e: Expr): SqlFragment {
    if (e.type !== 'comparison') {
      const items = e.items.map((item) => this.expr(item));
      const glue = e.type === 'and' ? ' AND ' : ' OR ';
      return { sql: `(${items.map((i) => i.sql).join(glue)})`, params: items.flatMap((i) => i.params) };
    }
    const left = this.operand(e.left);
    const right = this.operand(e.right);
    const cmp = compareValues(this.resolver.dialect, left, e.op, right, this.nextAlias);
    const guards = [...left.guards, ...right.guards];
    if (guards.length === 0) return cmp;
    return {
      sql: `(${[cmp, ...guards].map((g) => g.sql).join(' AND ')})`,
      params: [cmp, ...guards].flatMap((g) => g.params),
    };
  }

  private operand(op: Operand): Value {
    switch (op.type) {
      case 'literal':
        return { sql: '?', params: [op.value], nullFallback: 'auto', guards: [] };
      case 'function':
        return compileFunction(this.resolver.dialect, op, (arg) => this.operand(arg), this.nextAlias);
      case 'identifier':
        return this.identifier(op.name, op.pos);
    }
  }

  private identifier(name: string, pos: number): Value {
    const macro = macroValue(name, this.now);
    if (macro !== undefined) return { sql: '?', params: [macro], nullFallback: 'auto', guards: [] };
    let resolved: ResolvedIdentifier;
    try {
      resolved = this.resolver.resolve(name);
    } catch (err) {
      const literal = FALLBACK_LITERALS.get(name.toLowerCase());
      if (literal) return { ...literal, params: [...literal.params], nullFallback: 'auto', guards: [] };
      if (err instanceof FilterError && err.position === undefined) throw new FilterError(err.message, pos);
      throw err;
    }
    if (!resolved || typeof resolved.sql !== 'string' || resolved.sql.trim() === '') {
      throw FilterError.at(pos, `invalid field ${quoteForMessage(name)}`);
    }
    for (const join of resolved.joins ?? []) this.joins.add(join);
    return {
      sql: resolved.sql,
      params: [...resolved.params],
      nullFallback: resolved.noNullFallback ? 'disabled' : 'auto',
      multiple: resolved.multiple,
      guards: resolved.guard ? [resolved.guard] : [],
    };
  }
}
