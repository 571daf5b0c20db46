// Owns parsing filter text into an AST: precedence, limits and the parse cache.

import type { Comparison, Expr, Operand, Operator } from './ast.js';
import { FilterError, quoteForMessage } from './errors.js';
import { lex, type Token } from './lexer.js';
import { LruCache } from './lru.js';

/** Max filter size in UTF-8 bytes (PocketBase `MaxFilterLength`). */
export const MAX_FILTER_LENGTH = 3500;
/** Max number of comparisons in one filter (PocketBase `DefaultFilterExprLimit`). */
export const MAX_FILTER_EXPRESSIONS = 200;
/** Max parenthesis nesting; guards the call stack (PocketBase has no explicit limit). */
export const MAX_GROUP_DEPTH = 100;
/** Max nesting of function calls inside function arguments (fexpr's limit). */
export const MAX_FUNCTION_DEPTH = 3;

const cache = new LruCache<string, Expr>(500);

/**
 * Parses a PocketBase filter into an AST. `&&` binds tighter than `||` (as in the SQL PocketBase
 * emits); parentheses group. Results are cached (LRU, 500 entries) and deeply frozen.
 * Throws {@link FilterError} for syntax errors, empty input and exceeded limits.
 */
export function parseFilter(text: string): Expr {
  if (Buffer.byteLength(text, 'utf8') > MAX_FILTER_LENGTH) {
    throw new FilterError(`Invalid filter: the filter is too long (max ${MAX_FILTER_LENGTH} characters).`);
  }
  const cached = cache.get(text);
  if (cached) return cached;
  const expr = deepFreeze(new Parser(lex(text)).parseFilter());
  cache.set(text, expr);
  return expr;
}

/** Empties the parse cache (for tests). */
export function clearFilterCache(): void {
  cache.clear();
}

class Parser {
  private i = 0;
  private comparisons = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseFilter(): Expr {
    if (this.peek().type === 'eof') throw FilterError.at(0, 'empty filter expression');
    const expr = this.parseOr();
    const tok = this.peek();
    if (tok.type !== 'eof') throw this.unexpected(tok, '"&&" or "||"');
    return expr;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const tok = this.peek();
    if (tok.type !== 'eof') this.i++;
    return tok;
  }

  private parseOr(): Expr {
    return this.parseLogical('or', () => this.parseAnd());
  }

  private parseAnd(): Expr {
    return this.parseLogical('and', () => this.parsePrimary());
  }

  private parseLogical(type: 'and' | 'or', parseItem: () => Expr): Expr {
    const first = parseItem();
    const items: Expr[] = [];
    const add = (e: Expr) => (e.type === type ? items.push(...e.items) : items.push(e));
    add(first);
    while (this.peek().type === type) {
      this.next();
      add(parseItem());
    }
    return items.length === 1 ? first : { type, items, pos: first.pos };
  }

  private parsePrimary(): Expr {
    const tok = this.peek();
    if (tok.type !== '(') return this.parseComparison();
    this.next();
    if (++this.depth > MAX_GROUP_DEPTH)
      throw FilterError.at(tok.pos, `too deeply nested parentheses (max ${MAX_GROUP_DEPTH})`);
    if (this.peek().type === ')') throw FilterError.at(tok.pos, 'empty parentheses');
    const inner = this.parseOr();
    const close = this.next();
    if (close.type !== ')') throw this.unexpected(close, '")", "&&" or "||"');
    this.depth--;
    return inner;
  }

  private parseComparison(): Comparison {
    const left = this.parseOperand(0);
    const opTok = this.next();
    if (opTok.type !== 'op') throw this.unexpected(opTok, 'an operator such as "=" or "~"');
    const right = this.parseOperand(0);
    if (++this.comparisons > MAX_FILTER_EXPRESSIONS) {
      throw FilterError.at(left.pos, `too many expressions (max ${MAX_FILTER_EXPRESSIONS})`);
    }
    return { type: 'comparison', op: opTok.value as Operator, left, right, pos: left.pos };
  }

  private parseOperand(fnDepth: number): Operand {
    const tok = this.next();
    switch (tok.type) {
      case 'string':
        return { type: 'literal', value: tok.value, pos: tok.pos };
      case 'number':
        return { type: 'literal', value: Number(tok.value), pos: tok.pos };
      case 'ident': {
        const paren = this.peek();
        if (paren.type !== '(' || paren.pos !== tok.end) return { type: 'identifier', name: tok.value, pos: tok.pos };
        return this.parseCallArgs(tok, fnDepth + 1);
      }
      default:
        throw this.unexpected(tok, 'a field name, string or number');
    }
  }

  private parseCallArgs(nameTok: Token, fnDepth: number): Operand {
    if (fnDepth > MAX_FUNCTION_DEPTH)
      throw FilterError.at(nameTok.pos, `too deeply nested function calls (max ${MAX_FUNCTION_DEPTH})`);
    this.next(); // the "("
    const args: Operand[] = [];
    if (this.peek().type === ')') {
      this.next();
    } else {
      for (;;) {
        args.push(this.parseOperand(fnDepth));
        const sep = this.next();
        if (sep.type === ')') break;
        if (sep.type !== ',') throw this.unexpected(sep, '"," or ")"');
      }
    }
    return { type: 'function', name: nameTok.value, args, pos: nameTok.pos };
  }

  private unexpected(tok: Token, expected: string): FilterError {
    const what =
      tok.type === 'eof'
        ? 'end of filter'
        : tok.type === 'string'
          ? `string ${quoteForMessage(tok.value)}`
          : `token ${quoteForMessage(tok.value)}`;
    return FilterError.at(tok.pos, `unexpected ${what} (expected ${expected})`);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
