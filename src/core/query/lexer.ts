// Owns turning filter text into tokens (with 0-based offsets), following the fexpr scanner rules.

import { OPERATORS, type Operator } from './ast.js';
import { FilterError, quoteForMessage } from './errors.js';

/** Kinds of token the lexer produces. */
export type TokenType = 'ident' | 'string' | 'number' | 'op' | 'and' | 'or' | '(' | ')' | ',' | 'eof';

/** One lexed token; `pos`..`end` is its half-open span in the source text. */
export interface Token {
  type: TokenType;
  /** Identifier name, decoded string value, number source text, or operator text. */
  value: string;
  pos: number;
  end: number;
}

const SIGN_CHARS = new Set(['=', '?', '!', '>', '<', '~']);
const JOIN_CHARS = new Set(['&', '|']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const SIMPLE_ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

const isLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => isLetter(c) || c === '@' || c === '_' || c === '#';
const isIdentPart = (c: string): boolean => isLetter(c) || isDigit(c) || c === '_' || c === '.' || c === ':';

/**
 * Checks an identifier the way fexpr does: it must not end with `.` or `:`
 * and must not be a lone special start character (`@`, `_`, `#`).
 */
export function isValidIdentifier(name: string): boolean {
  if (name === '' || !isIdentStart(name[0]!)) return false;
  for (let i = 1; i < name.length; i++) if (!isIdentPart(name[i]!)) return false;
  const last = name[name.length - 1]!;
  if (last === '.' || last === ':') return false;
  return !(name.length === 1 && (name === '@' || name === '_' || name === '#'));
}

/**
 * Splits filter text into tokens, dropping whitespace and `//` line comments.
 * The last token is always `eof`. Throws {@link FilterError} on malformed input.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (WHITESPACE.has(c)) {
      i++;
    } else if (c === '/') {
      if (text[i + 1] !== '/') throw FilterError.at(i, 'invalid comment, expected "//"');
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ type: c, value: c, pos: i, end: ++i });
    } else if (c === '"' || c === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ type: 'string', value, pos: start, end });
      i = end;
    } else if (isDigit(c) || c === '-') {
      i = readNumber(text, i);
      tokens.push({ type: 'number', value: text.slice(start, i), pos: start, end: i });
    } else if (isIdentStart(c)) {
      i++;
      while (i < text.length && isIdentPart(text[i]!)) i++;
      const name = text.slice(start, i);
      if (!isValidIdentifier(name)) throw FilterError.at(start, `invalid identifier ${quoteForMessage(name)}`);
      tokens.push({ type: 'ident', value: name, pos: start, end: i });
    } else if (SIGN_CHARS.has(c)) {
      while (i < text.length && SIGN_CHARS.has(text[i]!)) i++;
      const op = text.slice(start, i);
      if (!OPERATORS.includes(op as Operator)) throw FilterError.at(start, `invalid operator ${quoteForMessage(op)}`);
      tokens.push({ type: 'op', value: op, pos: start, end: i });
    } else if (JOIN_CHARS.has(c)) {
      while (i < text.length && JOIN_CHARS.has(text[i]!)) i++;
      const join = text.slice(start, i);
      if (join !== '&&' && join !== '||')
        throw FilterError.at(start, `invalid operator ${quoteForMessage(join)}, expected "&&" or "||"`);
      tokens.push({ type: join === '&&' ? 'and' : 'or', value: join, pos: start, end: i });
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i)!);
      throw FilterError.at(i, `unexpected character ${quoteForMessage(ch)}`);
    }
  }
  tokens.push({ type: 'eof', value: '', pos: text.length, end: text.length });
  return tokens;
}

/** Reads an optionally negative decimal number (no exponent) starting at `i`; returns its end. */
function readNumber(text: string, i: number): number {
  const start = i;
  if (text[i] === '-') i++;
  const digitsStart = i;
  while (i < text.length && isDigit(text[i]!)) i++;
  if (i === digitsStart) throw FilterError.at(start, `invalid number ${quoteForMessage(text.slice(start, i + 1))}`);
  if (text[i] === '.') {
    i++;
    const fracStart = i;
    while (i < text.length && isDigit(text[i]!)) i++;
    if (i === fracStart) throw FilterError.at(start, `invalid number ${quoteForMessage(text.slice(start, i))}`);
  }
  return i;
}

/**
 * Reads a quoted string starting at `i` (on the quote), decoding JSON-style escapes
 * (`\" \' \\ \/ \b \f \n \r \t \uXXXX`). Unknown escapes such as `\%` are kept verbatim,
 * backslash included, so LIKE escapes pass through as in PocketBase.
 */
function readString(text: string, i: number): { value: string; end: number } {
  const quote = text[i]!;
  const start = i++;
  let value = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c !== '\\') {
      value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) break;
    if (next === 'u') {
      const hex = text.slice(i + 2, i + 6);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw FilterError.at(i, 'invalid unicode escape in string');
      value += String.fromCharCode(parseInt(hex, 16));
      i += 6;
    } else {
      value += SIMPLE_ESCAPES[next] ?? `\\${next}`;
      i += 2;
    }
  }
  throw FilterError.at(start, 'unterminated string');
}
