// Owns the AST node types produced by the filter parser.

/** Plain comparison operators; `all-of` semantics on multi-valued operands. */
export type PlainOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~' | '!~';

/** `?`-prefixed comparison operators; `any-of` semantics on multi-valued operands. */
export type AnyOperator = '?=' | '?!=' | '?>' | '?>=' | '?<' | '?<=' | '?~' | '?!~';

/** Every comparison operator of the filter language. */
export type Operator = PlainOperator | AnyOperator;

/** All operators, for validation. */
export const OPERATORS: readonly Operator[] = [
  '=',
  '!=',
  '>',
  '>=',
  '<',
  '<=',
  '~',
  '!~',
  '?=',
  '?!=',
  '?>',
  '?>=',
  '?<',
  '?<=',
  '?~',
  '?!~',
];

/** A quoted string or a number literal. `pos` is the 0-based offset of its first character. */
export interface Literal {
  type: 'literal';
  value: string | number;
  pos: number;
}

/**
 * A bare name such as `title`, `author.name`, `tags:each`, `@request.auth.id`, `@now`,
 * or `null`/`true`/`false` (these become literals only when no field resolves by that name).
 */
export interface Identifier {
  type: 'identifier';
  name: string;
  pos: number;
}

/** A function call such as `strftime('%Y', created)` or `geoDistance(lon, lat, 1, 2)`. */
export interface FunctionCall {
  type: 'function';
  name: string;
  args: Operand[];
  pos: number;
}

/** Anything that can stand on either side of a comparison. */
export type Operand = Literal | Identifier | FunctionCall;

/** `left op right`; `pos` is the offset of the left operand. */
export interface Comparison {
  type: 'comparison';
  op: Operator;
  left: Operand;
  right: Operand;
  pos: number;
}

/**
 * An n-ary `&&` (and) or `||` (or) group with at least two items.
 * Parentheses leave no node of their own: they only shape this tree.
 */
export interface Logical {
  type: 'and' | 'or';
  items: Expr[];
  pos: number;
}

/** A parsed filter expression. */
export type Expr = Comparison | Logical;
