import { beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { buildFilter, FilterError, parseSort } from '../../../src/core/query/index.js';
import { createDb, fakeResolver, RESOLVER_SQL } from './fixtures.js';

/** SQL words the compiler itself may emit. */
const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IS',
  'NULL',
  'LIKE',
  'ESCAPE',
  'EXISTS',
  'SELECT',
  'FROM',
  'WHERE',
  'AS',
  'UNION',
  'ALL',
  'COALESCE',
  'value',
  'strftime',
  'acos',
  'cos',
  'sin',
  'radians',
  '1',
  '6371',
]);

/** Deterministic PRNG so failures are reproducible. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

const PIECES = [
  'title',
  'views',
  'tags:each',
  'jtags:each',
  'author.name',
  'author.email',
  'editors.name',
  'data',
  'nope',
  'null',
  'true',
  '@now',
  '@request.auth.id',
  '=',
  '!=',
  '~',
  '?=',
  '?!~',
  '>=',
  '<',
  '&&',
  '||',
  '(',
  ')',
  '"',
  "'",
  '\\',
  '"x"',
  "'y'",
  "'; DROP TABLE posts; --",
  '"); DELETE FROM users; --',
  '`',
  '%',
  '_',
  '-',
  '1',
  '-2.5',
  '1e9',
  ',',
  'strftime(',
  'geoDistance(',
  '"%Y"',
  '//',
  '\n',
  ' ',
  'ü',
  '😀',
  '\u0000',
  '\u202e',
  '$1',
  '?',
  ':',
  '.',
  '@',
  '#',
  '{:x}',
  '[[a]]',
  'x'.repeat(40),
];

const FIELDS = [
  'title',
  'views',
  'tags:each',
  'jtags:each',
  'author.name',
  'author.email',
  'editors.name',
  'data',
  'null',
  'true',
  '@now',
  '@request.auth.id',
  'tags:length',
];
const OPS = ['=', '!=', '>', '>=', '<', '<=', '~', '!~', '?=', '?!=', '?>', '?>=', '?<', '?<=', '?~', '?!~'];
const NASTY = [
  "'; DROP TABLE posts; --",
  '"); DELETE FROM users; --',
  '\\',
  '%',
  '_',
  '%_\\',
  '',
  'ü😀\u202e',
  '\u0000',
  "''",
  "\\'",
  '?',
  ':x',
];

/** A syntactically valid filter with hostile literals, to exercise the compiler. */
function validFilter(next: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)]!;
  const operand = (): string => {
    const r = next();
    if (r < 0.4) return pick(FIELDS);
    if (r < 0.5) return String(Math.floor(next() * 2000) - 1000) + (next() < 0.3 ? '.5' : '');
    if (r < 0.55) return `strftime("%Y", ${pick(FIELDS)})`;
    const v = pick(NASTY);
    return next() < 0.5 ? JSON.stringify(v) : `'${v.replace(/'/g, "\\'")}'`;
  };
  const n = 1 + Math.floor(next() * 6);
  return Array.from({ length: n }, () => {
    const c = `${operand()} ${pick(OPS)} ${operand()}`;
    return next() < 0.3 ? `(${c})` : c;
  }).join(next() < 0.5 ? ' && ' : ' || ');
}

function randomFilter(next: () => number): string {
  const mode = next();
  if (mode > 0.6) return validFilter(next);
  if (mode < 0.15) {
    // raw random code points
    return Array.from({ length: Math.floor(next() * 40) }, () =>
      String.fromCodePoint(Math.floor(next() * 0x2ffff)),
    ).join('');
  }
  if (mode < 0.25) {
    const depth = Math.floor(next() * 300);
    return `${'('.repeat(depth)}title = "x"${')'.repeat(Math.floor(next() * 300))}`;
  }
  const n = 1 + Math.floor(next() * 12);
  return Array.from({ length: n }, () => PIECES[Math.floor(next() * PIECES.length)]).join(next() < 0.5 ? ' ' : '');
}

/** Checks the SQL holds nothing but resolver fragments, compiler keywords, punctuation and placeholders. */
function assertOnlyTrustedSql(sql: string, params: unknown[]): void {
  let rest = sql;
  for (const fragment of [...RESOLVER_SQL].sort((a, b) => b.length - a.length)) rest = rest.split(fragment).join(' ');
  rest = rest.replace(/''|'%'|'\\'|"__je_tags"/g, ' ');
  expect(rest).not.toMatch(/["'`]/);
  for (const word of rest.match(/[A-Za-z0-9_]+/g) ?? []) {
    expect(KEYWORDS.has(word) || /^__m\d+[ab]?$/.test(word), `unexpected word ${word} in ${sql}`).toBe(true);
  }
  expect(rest.replace(/[A-Za-z0-9_\s().,=<>!?%|*+-]/g, '')).toBe('');
  expect((sql.match(/\?/g) ?? []).length).toBe(params.length);
}

describe('hostile input', () => {
  let db: Database.Database;
  beforeAll(() => {
    db = createDb();
  });

  const samples: string[] = [
    `title = "'; DROP TABLE posts; --"`,
    `title = '"); DROP TABLE posts; --'`,
    `title = "\\"; DROP TABLE posts; --"`,
    `title = '\\'; DROP TABLE posts; --'`,
    `title = "a" || 1 = 1 --"`,
    `title ~ "%' OR 1=1 --"`,
    `title = "\\u0027 OR 1=1"`,
    `"x" = "x" && title = "y\\\\" && 1 = 1`,
    `${'('.repeat(2000)}`,
    `${')'.repeat(50)}`,
    `title = "${'\\'.repeat(33)}"`,
    `strftime("%Y", strftime("%Y", strftime("%Y", created))) = 1`,
    `constructor = 1 && toString = 2 && __proto__ = 3 && hasOwnProperty = null`,
  ];
  const next = rng(42);
  for (let i = 0; i < 600; i++) samples.push(randomFilter(next));

  it('either compiles to trusted SQL that runs, or throws FilterError', () => {
    let compiled = 0;
    for (const text of samples) {
      let out;
      try {
        out = buildFilter(text, fakeResolver("'; DROP TABLE users; --"), { now: new Date(0) });
      } catch (err) {
        if (!(err instanceof FilterError))
          throw new Error(`non-FilterError for ${JSON.stringify(text)}: ${String(err)}`);
        expect(err.message).not.toMatch(/SELECT|COALESCE|"posts"/);
        continue;
      }
      compiled++;
      assertOnlyTrustedSql(out.sql, out.params);
      const stmt = db.prepare(`SELECT DISTINCT "posts"."id" FROM "posts" ${out.joins.join(' ')} WHERE ${out.sql}`);
      expect(() => stmt.all(...out.params)).not.toThrow();
    }
    expect(compiled).toBeGreaterThan(100);
    expect(db.prepare('SELECT count(*) AS n FROM posts').get()).toEqual({ n: 5 });
  });

  it('sort parsing only throws FilterError', () => {
    const next2 = rng(7);
    for (let i = 0; i < 300; i++) {
      const text = randomFilter(next2);
      try {
        for (const f of parseSort(text)) expect(f.name).toMatch(/^[A-Za-z_@#][A-Za-z0-9_.:]*$/);
      } catch (err) {
        expect(err).toBeInstanceOf(FilterError);
      }
    }
  });
});
