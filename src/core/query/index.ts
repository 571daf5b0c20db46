// Owns the public surface of the filter/sort language module (collection-agnostic).

export type {
  AnyOperator,
  Comparison,
  Expr,
  FunctionCall,
  Identifier,
  Literal,
  Logical,
  Operand,
  Operator,
  PlainOperator,
} from './ast.js';
export { OPERATORS } from './ast.js';
export { FilterError } from './errors.js';
export { lex, isValidIdentifier, type Token, type TokenType } from './lexer.js';
export {
  parseFilter,
  clearFilterCache,
  MAX_FILTER_LENGTH,
  MAX_FILTER_EXPRESSIONS,
  MAX_GROUP_DEPTH,
  MAX_FUNCTION_DEPTH,
} from './parser.js';
export type { FilterDialect } from './dialect.js';
export type { FieldResolver, MultiValueSource, ResolvedIdentifier, SqlFragment } from './resolver.js';
export { compileFilter, buildFilter, type CompileOptions, type CompiledFilter } from './compile.js';
export { formatDateTime, isMacro, macroValue } from './macros.js';
export { parseSort, MAX_SORT_FIELDS, MAX_SORT_FIELD_LENGTH, type SortField } from './sort.js';
