// Owns the filter functions `strftime(...)` and `geoDistance(...)`.

import type { FunctionCall, Operand } from './ast.js';
import type { Value } from './compare.js';
import type { FilterDialect } from './dialect.js';
import { FilterError, quoteForMessage } from './errors.js';
import type { AliasFactory } from './multi.js';

/** Compiles one argument operand (literal, identifier or function) to a Value. */
export type ArgCompiler = (arg: Operand) => Value;

const isText = (a: Operand): boolean => a.type === 'literal' && typeof a.value === 'string';
const isNumber = (a: Operand): boolean => a.type === 'literal' && typeof a.value === 'number';

/**
 * `strftime(format, [timeValue, modifier...])`, 1 to 10 arguments: SQLite's strftime where NULL
 * compares like '' (null fallback enforced). `format` and modifiers must be strings; `timeValue`
 * a string, number or identifier. A multi-valued time value keeps its any-of/all-of semantics.
 */
function strftime(dialect: FilterDialect, call: FunctionCall, compileArg: ArgCompiler, nextAlias: AliasFactory): Value {
  const { args } = call;
  if (args.length < 1 || args.length > 10) {
    throw FilterError.at(call.pos, `strftime expects 1 to 10 arguments, got ${args.length}`);
  }
  if (!isText(args[0]!))
    throw FilterError.at(args[0]!.pos, 'strftime expects the first argument to be a format string');
  if (args[1] && args[1].type === 'function')
    throw FilterError.at(args[1].pos, 'strftime expects the second argument to be a string, number or field');
  args.slice(2).forEach((a) => {
    if (!isText(a)) throw FilterError.at(a.pos, 'strftime modifiers must be strings');
  });
  const values = args.map(compileArg);
  const [format, time, ...modifiers] = values;
  const result: Value = {
    sql: dialect.strftime(values.map((v) => v.sql)),
    params: values.flatMap((v) => v.params),
    nullFallback: 'enforced',
    guards: values.flatMap((v) => v.guards),
  };
  if (time?.multiple) {
    const alias = nextAlias();
    const inner = [format!, { sql: `${alias}.value`, params: [] }, ...modifiers];
    result.multiple = {
      ...time.multiple,
      eachSql: `(SELECT ${dialect.strftime(inner.map((v) => v.sql))} AS value FROM ${time.multiple.eachSql} AS ${alias})`,
      eachParams: [...inner.flatMap((v) => v.params), ...time.multiple.eachParams],
    };
  }
  return result;
}

/**
 * `geoDistance(lonA, latA, lonB, latB)`: Haversine distance in km. Arguments are numbers or
 * identifiers. Like PocketBase it applies no match-all constraint, so a multi-valued argument
 * is only accepted in joined mode (it then matches if any element does).
 */
function geoDistance(dialect: FilterDialect, call: FunctionCall, compileArg: ArgCompiler): Value {
  if (call.args.length !== 4)
    throw FilterError.at(call.pos, `geoDistance expects 4 arguments, got ${call.args.length}`);
  const values = call.args.map((a) => {
    if (a.type !== 'identifier' && !isNumber(a))
      throw FilterError.at(a.pos, 'geoDistance arguments must be numbers or fields');
    const v = compileArg(a);
    if (v.multiple && !v.multiple.joined)
      throw FilterError.at(a.pos, 'geoDistance does not support multi-valued fields');
    return { ...v, sql: dialect.number(v.sql) };
  });
  const [lonA, latA, lonB, latB] = values as [Value, Value, Value, Value];
  const parts: Array<string | Value> = [
    '(6371 * acos(cos(radians(',
    latA,
    ')) * cos(radians(',
    latB,
    ')) * cos(radians(',
    lonB,
    ') - radians(',
    lonA,
    ')) + sin(radians(',
    latA,
    ')) * sin(radians(',
    latB,
    '))))',
  ];
  return {
    sql: parts.map((p) => (typeof p === 'string' ? p : p.sql)).join(''),
    params: parts.flatMap((p) => (typeof p === 'string' ? [] : p.params)),
    nullFallback: 'disabled',
    guards: values.flatMap((v) => v.guards),
  };
}

/** Compiles a function call; throws FilterError for unknown functions or bad arguments. */
export function compileFunction(
  dialect: FilterDialect,
  call: FunctionCall,
  compileArg: ArgCompiler,
  nextAlias: AliasFactory,
): Value {
  switch (call.name) {
    case 'strftime':
      return strftime(dialect, call, compileArg, nextAlias);
    case 'geoDistance':
      return geoDistance(dialect, call, compileArg);
    default:
      throw FilterError.at(call.pos, `unknown function ${quoteForMessage(call.name)}`);
  }
}
