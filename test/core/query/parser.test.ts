import { describe, expect, it } from 'vitest';
import PocketBase from 'pocketbase';
import { FilterError, lex, parseFilter, type Comparison, type Expr } from '../../../src/core/query/index.js';

/** Parses a single comparison. */
const cmp = (text: string): Comparison => parseFilter(text) as Comparison;

/** Returns the FilterError thrown by `fn` (fails the test if none / another type). */
function filterError(fn: () => unknown): FilterError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FilterError);
    return err as FilterError;
  }
  throw new Error('expected a FilterError');
}

/** Compact rendering of an AST for precedence checks. */
function show(e: Expr): string {
  if (e.type === 'comparison') {
    const side = (o: Comparison['left']) =>
      o.type === 'identifier' ? o.name : JSON.stringify('value' in o ? o.value : o.name);
    return `${side(e.left)}${e.op}${side(e.right)}`;
  }
  return `${e.type}(${e.items.map(show).join(', ')})`;
}

describe('lexer', () => {
  it('produces tokens with offsets', () => {
    const toks = lex('a.b >= -1.5 && (x ?!~ "y")');
    expect(toks.map((t) => [t.type, t.value, t.pos])).toEqual([
      ['ident', 'a.b', 0],
      ['op', '>=', 4],
      ['number', '-1.5', 7],
      ['and', '&&', 12],
      ['(', '(', 15],
      ['ident', 'x', 16],
      ['op', '?!~', 18],
      ['string', 'y', 22],
      [')', ')', 25],
      ['eof', '', 26],
    ]);
  });

  it('lexes every operator', () => {
    for (const op of ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~']) {
      expect(cmp(`a ${op} 1`).op).toBe(op);
      expect(cmp(`a${op}1`).op).toBe(op);
    }
  });

  it('skips // comments and whitespace incl. newlines', () => {
    expect(show(parseFilter('// leading\na = 1 // trailing\n&& b = 2 // end'))).toBe('and(a=1, b=2)');
  });

  it('accepts special identifiers', () => {
    for (const name of [
      '@request.auth.id',
      '@collection.users:u.name',
      'tags:each',
      'title:lower',
      '_a',
      '#x',
      'a_via_b.c',
    ]) {
      expect(cmp(`${name} = 1`).left).toMatchObject({ type: 'identifier', name });
    }
  });
});

describe('literals', () => {
  it('reads both quote styles and escapes', () => {
    expect(cmp(`a = 'it\\'s'`).right).toMatchObject({ value: "it's" });
    expect(cmp(`a = "say \\"hi\\""`).right).toMatchObject({ value: 'say "hi"' });
    expect(cmp(`a = "it's"`).right).toMatchObject({ value: "it's" });
    expect(cmp(`a = 'say "hi"'`).right).toMatchObject({ value: 'say "hi"' });
    expect(cmp(`a = "back\\\\slash\\\\"`).right).toMatchObject({ value: 'back\\slash\\' });
    expect(cmp(`a = "tab\\tnl\\n\\u00e9\\/"`).right).toMatchObject({ value: 'tab\tnl\né/' });
    expect(cmp(`a = "50\\%"`).right).toMatchObject({ value: '50\\%' }); // unknown escapes kept verbatim
    expect(cmp(`a = ""`).right).toMatchObject({ value: '' });
    expect(cmp(`a = "ünï😀 && || ( )"`).right).toMatchObject({ value: 'ünï😀 && || ( )' });
  });

  it('round-trips the JS SDK pb.filter() output', () => {
    const pb = new PocketBase('http://127.0.0.1:1');
    const nasty = [
      'plain',
      `q"uo'te`,
      'back\\slash\\',
      'new\nline\ttab',
      '😀 ünï',
      "'; DROP TABLE posts; --",
      '%_\\%',
      '\u0000\u001f',
    ];
    for (const value of nasty) {
      const text = pb.filter('title = {:v} && views > {:n} && x = {:nil} && d = {:d}', {
        v: value,
        n: -2.5,
        nil: null,
        d: new Date(0),
      });
      const expr = parseFilter(text);
      expect(expr.type).toBe('and');
      const items = (expr as { items: Comparison[] }).items;
      expect(items[0]!.right).toMatchObject({ type: 'literal', value });
      expect(items[1]!.right).toMatchObject({ type: 'literal', value: -2.5 });
      expect(items[2]!.right).toMatchObject({ type: 'identifier', name: 'null' });
      expect(items[3]!.right).toMatchObject({ type: 'literal', value: '1970-01-01 00:00:00.000Z' });
    }
  });

  it('reads numbers', () => {
    expect(cmp('a = 42').right).toMatchObject({ value: 42 });
    expect(cmp('a = -7').right).toMatchObject({ value: -7 });
    expect(cmp('a = 3.25').right).toMatchObject({ value: 3.25 });
    expect(cmp('a = -0.5').right).toMatchObject({ value: -0.5 });
    expect(cmp('1 = a').left).toMatchObject({ type: 'literal', value: 1 });
  });

  it('keeps null/true/false as identifiers for the compiler', () => {
    expect(cmp('a = null').right).toMatchObject({ type: 'identifier', name: 'null' });
    expect(cmp('true = a').left).toMatchObject({ type: 'identifier', name: 'true' });
  });
});

describe('precedence and grouping', () => {
  it('binds && tighter than ||', () => {
    expect(show(parseFilter('a = 1 || b = 2 && c = 3'))).toBe('or(a=1, and(b=2, c=3))');
    expect(show(parseFilter('a = 1 && b = 2 || c = 3'))).toBe('or(and(a=1, b=2), c=3)');
  });

  it('honours parentheses and flattens same-type chains', () => {
    expect(show(parseFilter('(a = 1 || b = 2) && c = 3'))).toBe('and(or(a=1, b=2), c=3)');
    expect(show(parseFilter('a = 1 && (b = 2 && (c = 3))'))).toBe('and(a=1, b=2, c=3)');
    expect(show(parseFilter('((a = 1))'))).toBe('a=1');
  });

  it('parses function calls', () => {
    const c = cmp(`strftime('%Y-%m', created, 'start of month') = "2024-01"`);
    expect(c.left).toMatchObject({ type: 'function', name: 'strftime', pos: 0 });
    expect((c.left as { args: unknown[] }).args).toHaveLength(3);
    expect(cmp('geoDistance(a.lon, a.lat, 1.5, -2) < 10').left).toMatchObject({
      type: 'function',
      name: 'geoDistance',
    });
  });
});

describe('errors', () => {
  it.each([
    ['a = 1)', 5, 'unexpected token ")"'],
    ['a = ', 4, 'unexpected end of filter'],
    ['(a = 1', 6, 'unexpected end of filter'],
    ['a = 1 b = 2', 6, 'unexpected token "b"'],
    ['a 1', 2, 'unexpected token "1"'],
    ['a == 1', 2, 'invalid operator "=="'],
    ['a = 1 & b = 2', 6, 'invalid operator "&"'],
    ['a = "abc', 4, 'unterminated string'],
    ['a = -', 4, 'invalid number'],
    ['a = 1.', 4, 'invalid number'],
    ['a. = 1', 0, 'invalid identifier "a."'],
    ['a = 1 / 2', 6, 'invalid comment'],
    ['a = 1 && ()', 9, 'empty parentheses'],
    ['a = $x', 4, 'unexpected character "$"'],
    ['ä = 1', 0, 'unexpected character "ä"'],
    ['', 0, 'empty filter expression'],
    ['  // only a comment', 0, 'empty filter expression'],
    ['f(g(h(i(1)))) = 1', 6, 'too deeply nested function calls'],
    ['a = "\\u12"', 5, 'invalid unicode escape'],
  ])('%j fails at %i', (text, position, fragment) => {
    const err = filterError(() => parseFilter(text));
    expect(err.position).toBe(position);
    expect(err.message).toContain(fragment);
    expect(err.message).toMatch(/^Invalid filter: .* at position \d+\.$/);
  });

  it('formats messages as in the brief', () => {
    expect(filterError(() => parseFilter('(title = "x"))')).message).toBe(
      'Invalid filter: unexpected token ")" (expected "&&" or "||") at position 13.',
    );
  });

  it('enforces the length limit (3500 bytes)', () => {
    const base = 'a = "';
    const ok = base + 'x'.repeat(3500 - base.length - 1) + '"';
    expect(() => parseFilter(ok)).not.toThrow();
    expect(filterError(() => parseFilter(ok + ' ')).message).toContain('too long');
    expect(filterError(() => parseFilter(`a = "${'é'.repeat(1800)}"`)).message).toContain('too long');
  });

  it('enforces the expression limit (200)', () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => `a=${i}`).join('||');
    expect(() => parseFilter(many(200))).not.toThrow();
    const err = filterError(() => parseFilter(many(201)));
    expect(err.message).toContain('too many expressions');
  });

  it('limits parenthesis depth instead of overflowing the stack', () => {
    expect(() => parseFilter(`${'('.repeat(100)}a = 1${')'.repeat(100)}`)).not.toThrow();
    expect(filterError(() => parseFilter(`${'('.repeat(1700)}a = 1${')'.repeat(1700)}`)).message).toContain('nested');
  });
});

describe('cache', () => {
  it('returns the same frozen tree for the same text', () => {
    const a = parseFilter('cached = 1 && x = 2');
    expect(parseFilter('cached = 1 && x = 2')).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(Object.isFrozen((a as { items: object[] }).items[0])).toBe(true);
  });
});
