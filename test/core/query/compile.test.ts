import { describe, expect, it } from 'vitest';
import { buildFilter, FilterError, type FieldResolver } from '../../../src/core/query/index.js';
import { fakeResolver } from './fixtures.js';

const r = fakeResolver();
const sqlOf = (text: string, resolver: FieldResolver = r) => buildFilter(text, resolver);

describe('comparison operators', () => {
  it.each([
    ['views > 1', '"posts"."views" > ?'],
    ['views >= 1', '"posts"."views" >= ?'],
    ['views < 1', '"posts"."views" < ?'],
    ['views <= 1', '"posts"."views" <= ?'],
    ['views ?> 1', '"posts"."views" > ?'],
    ['views ?<= 1', '"posts"."views" <= ?'],
    ['title = "x"', '"posts"."title" = ?'],
    ['title ?= "x"', '"posts"."title" = ?'],
    ['title != "x"', '"posts"."title" IS NOT ?'],
    ['title ?!= "x"', '"posts"."title" IS NOT ?'],
    ['title ~ "x"', `"posts"."title" LIKE ? ESCAPE '\\'`],
    ['title ?~ "x"', `"posts"."title" LIKE ? ESCAPE '\\'`],
    ['title !~ "x"', `"posts"."title" NOT LIKE ? ESCAPE '\\'`],
    ['title ?!~ "x"', `"posts"."title" NOT LIKE ? ESCAPE '\\'`],
  ])('%s', (text, sql) => {
    expect(sqlOf(text).sql).toBe(sql);
  });

  it('binds every literal as a parameter', () => {
    const out = sqlOf(`title = "a'b" && views > -2.5 && title ~ 'x' || id = "'; DROP TABLE posts; --"`);
    expect(out.sql).not.toContain("a'b");
    expect(out.sql).not.toContain('DROP');
    expect(out.params).toEqual(["a'b", -2.5, '%x%', "'; DROP TABLE posts; --"]);
  });

  it('accepts operands either way round', () => {
    expect(sqlOf('"x" = title')).toMatchObject({ sql: '? = "posts"."title"', params: ['x'] });
    expect(sqlOf('5 < views')).toMatchObject({ sql: '? < "posts"."views"', params: [5] });
    expect(sqlOf('"abc" ~ title')).toMatchObject({
      sql: `? LIKE ('%' || "posts"."title" || '%') ESCAPE '\\'`,
      params: ['abc'],
    });
  });
});

describe('null handling for = and !=', () => {
  it.each([
    ['title = ""', `("posts"."title" = '' OR "posts"."title" IS NULL)`, []],
    ['title != ""', `("posts"."title" IS NOT '' AND "posts"."title" IS NOT NULL)`, []],
    ['title = null', `("posts"."title" = '' OR "posts"."title" IS NULL)`, []],
    ['null != title', `('' IS NOT "posts"."title" AND "posts"."title" IS NOT NULL)`, []],
    ['title = author', `COALESCE("posts"."title", '') = COALESCE("posts"."author", '')`, []],
    ['title != author', `COALESCE("posts"."title", '') IS NOT COALESCE("posts"."author", '')`, []],
    ['"" = null', `'' = ''`, []],
    ['"" != ""', `'' IS NOT ''`, []],
    ['"a" = ""', `? = ''`, ['a']],
    ['data = null', `json_extract("posts"."data", '$') IS NULL`, []],
    ['data != ""', `json_extract("posts"."data", '$') IS NOT ?`, ['']],
    ['published = true', '"posts"."published" = ?', [1]],
    ['published != false', '"posts"."published" IS NOT ?', [0]],
  ])('%s', (text, sql, params) => {
    expect(sqlOf(text)).toMatchObject({ sql, params });
  });

  it('treats a single empty request value as empty, like PocketBase', () => {
    expect(sqlOf('author = @request.auth.id', fakeResolver(''))).toMatchObject({
      sql: `("posts"."author" = '' OR "posts"."author" IS NULL)`,
      params: [],
    });
    expect(sqlOf('@request.auth.id != ""', fakeResolver(''))).toMatchObject({ sql: `'' IS NOT ''`, params: [] });
    expect(sqlOf('author = @request.auth.id', fakeResolver('u1'))).toMatchObject({
      sql: '"posts"."author" = ?',
      params: ['u1'],
    });
  });
});

describe('LIKE wrapping and escaping', () => {
  it.each([
    ['title ~ "abc"', '%abc%'],
    ['title ~ "a_b"', '%a\\_b%'],
    ['title ~ "back\\\\slash"', '%back\\\\slash%'],
    ['title ~ "50\\%"', '%50\\%%'],
    ['title ~ "abc%"', 'abc%'],
    ['title ~ "%a_c"', '%a_c'],
    ['title ~ 12', '%12%'],
    ['title ~ ""', '%%'],
  ])('%s binds %s', (text, param) => {
    expect(sqlOf(text).params).toEqual([param]);
  });

  it('wraps a column right side in %...%', () => {
    expect(sqlOf('title ~ author.name').sql).toBe(
      `"posts"."title" LIKE ('%' || "posts_author"."name" || '%') ESCAPE '\\'`,
    );
    expect(sqlOf('title !~ author').sql).toBe(`"posts"."title" NOT LIKE ('%' || "posts"."author" || '%') ESCAPE '\\'`);
  });

  it('wraps request values that come as params', () => {
    expect(sqlOf('title ~ @request.query.q').params).toEqual(['%hello%']);
  });
});

describe('logical operators', () => {
  it('emits AND/OR with SQL grouping', () => {
    expect(sqlOf('views = 1 || views = 2 && title = "x"').sql).toBe(
      '("posts"."views" = ? OR ("posts"."views" = ? AND "posts"."title" = ?))',
    );
    expect(sqlOf('(views = 1 || views = 2) && title = "x"')).toMatchObject({
      sql: '(("posts"."views" = ? OR "posts"."views" = ?) AND "posts"."title" = ?)',
      params: [1, 2, 'x'],
    });
  });
});

describe('joins, guards and multi-valued identifiers', () => {
  it('collects joins once, in order', () => {
    const out = sqlOf('author.name = "a" && author.email = "b" && jtags:each ?= "c"');
    expect(out.joins).toEqual([
      'LEFT JOIN "users" AS "posts_author" ON "posts_author"."id" = "posts"."author"',
      'LEFT JOIN json_each("posts"."tags") AS "__je_tags"',
    ]);
  });

  it('ANDs a guard onto comparisons using the identifier', () => {
    expect(sqlOf('author.email = "a@b.c"')).toMatchObject({
      sql: '("posts_author"."email" = ? AND "posts_author"."emailVisibility" = 1)',
      params: ['a@b.c'],
    });
  });

  it('any-of uses EXISTS with an empty-set NULL stand-in', () => {
    const each = 'json_each("posts"."tags")';
    expect(sqlOf('tags:each ?= "a"').sql).toBe(
      `EXISTS (SELECT 1 FROM (SELECT value FROM ${each} AS __m1a UNION ALL SELECT NULL WHERE NOT EXISTS (SELECT 1 FROM ${each} AS __m1b)) AS __m1 WHERE __m1.value = ?)`,
    );
  });

  it('all-of adds a NOT EXISTS "none fails" check', () => {
    const out = sqlOf('tags:each = "a"');
    expect(out.sql).toMatch(
      /^\(EXISTS \(.* WHERE __m1\.value = \?\) AND NOT EXISTS \(SELECT 1 FROM json_each\("posts"\."tags"\) AS __m2 WHERE NOT \(__m2\.value = \?\)\)\)$/,
    );
    expect(out.params).toEqual(['a', 'a']);
  });

  it('joined multi identifiers compare the joined column for any-of', () => {
    expect(sqlOf('jtags:each ?= "a"').sql).toBe('"__je_tags"."value" = ?');
    expect(sqlOf('jtags:each = "a"').sql).toBe(
      '("__je_tags"."value" = ? AND NOT EXISTS (SELECT 1 FROM json_each("posts"."tags") AS __m1 WHERE NOT (__m1.value = ?)))',
    );
  });
});

describe('resolution errors', () => {
  it('reports unknown fields with a position', () => {
    try {
      sqlOf('title = 1 && nope = 2');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FilterError);
      expect((err as FilterError).position).toBe(13);
      expect((err as FilterError).message).toContain('unknown field "nope"');
    }
  });

  it('rejects unknown functions and bad arguments', () => {
    expect(() => sqlOf('nope(1) = 1')).toThrow(/unknown function "nope"/);
    expect(() => sqlOf('strftime(created) = 1')).toThrow(/format string/);
    expect(() => sqlOf('strftime("%Y", created, 1) = 1')).toThrow(/modifiers must be strings/);
    expect(() => sqlOf(`strftime(${Array(11).fill('"a"').join(',')}) = 1`)).toThrow(/1 to 10 arguments/);
    expect(() => sqlOf('geoDistance(1, 2, 3) < 1')).toThrow(/4 arguments/);
    expect(() => sqlOf('geoDistance(1, 2, 3, "4") < 1')).toThrow(/numbers or fields/);
    expect(() => sqlOf('geoDistance(1, 2, 3, tags:each) < 1')).toThrow(/multi-valued/);
  });

  it('lets a real field named like a literal win', () => {
    const resolver: FieldResolver = {
      dialect: r.dialect,
      resolve: (name) => (name === 'true' ? { sql: '"t"."true"', params: [] } : r.resolve(name)),
    };
    expect(sqlOf('views = true', resolver).sql).toBe(`COALESCE("posts"."views", '') = COALESCE("t"."true", '')`);
  });
});
