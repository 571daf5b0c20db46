// The `filter` of GET /api/collections: the filter language over a collection's top-level keys (name, type,
// system, id, the rules...), evaluated on the served collections in memory (there are tens, not millions).
import { FilterError, parseFilter } from '../query/index.js';
import type { Expr, Operand, Operator } from '../query/ast.js';

type Item = Record<string, unknown>;

function valueOf(operand: Operand, item: Item): unknown {
  if (operand.type === 'literal') return operand.value;
  if (operand.type === 'function') throw new FilterError(`Functions are not supported here ("${operand.name}").`);
  const name = operand.name;
  if (name === 'null') return null;
  if (name === 'true') return true;
  if (name === 'false') return false;
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new FilterError(`Invalid filter field "${name}".`);
  if (!(name in item) && !['id', 'name', 'type', 'system', 'viewQuery'].includes(name)) {
    throw new FilterError(`Unknown filter field "${name}".`);
  }
  return item[name] ?? null;
}

/** Values compared as PocketBase compares them: '' and null alike, booleans and numbers as numbers. */
function norm(value: unknown): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function compare(op: Operator, left: unknown, right: unknown): boolean {
  const plain = (op.startsWith('?') ? op.slice(1) : op) as Operator;
  const a = norm(left);
  const b = norm(right);
  switch (plain) {
    case '=':
      return a === b || (typeof a === 'number' && String(a) === b) || (typeof b === 'number' && String(b) === a);
    case '!=':
      return !compare('=', left, right);
    case '~':
    case '!~': {
      const contains = String(a ?? '')
        .toLowerCase()
        .includes(
          String(b ?? '')
            .toLowerCase()
            .replaceAll('%', ''),
        );
      return plain === '~' ? contains : !contains;
    }
    default: {
      if (a === null || b === null) return false;
      const [x, y] = typeof a === 'number' && typeof b === 'number' ? [a, b] : [String(a), String(b)];
      if (plain === '>') return x > y;
      if (plain === '>=') return x >= y;
      if (plain === '<') return x < y;
      return x <= y;
    }
  }
}

function matches(expr: Expr, item: Item): boolean {
  if (expr.type !== 'comparison') {
    return expr.type === 'and' ? expr.items.every((e) => matches(e, item)) : expr.items.some((e) => matches(e, item));
  }
  return compare(expr.op, valueOf(expr.left, item), valueOf(expr.right, item));
}

/** The items `filter` keeps; a FilterError for text that does not parse or names what is not there. */
export function filterCollections<T extends Item>(items: T[], filter: string): T[] {
  const expr = parseFilter(filter);
  return items.filter((item) => matches(expr, item));
}
