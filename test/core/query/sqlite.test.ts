import { beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { createDb, fakeResolver, query } from './fixtures.js';

let db: Database.Database;
beforeAll(() => {
  db = createDb();
});

// Rows: p1 'Hello World' views 10 tags [a,b] author u1 (Ann) editors [u1,u2]
//       p2 'hello_there' views 5 tags [a] author u2 (Bob) editors [u1]
//       p3 '' views 0 tags [] author '' editors []
//       p4 NULL views NULL tags [c] author u3 (missing) editors [u9] (missing)
//       p5 '100% sure' views 100 tags [a,a] author u1 editors [u2,u9]
describe('results against SQLite', () => {
  it.each([
    ['title = "Hello World"', ['p1']],
    ['"Hello World" = title', ['p1']],
    ['title = ""', ['p3', 'p4']],
    ['title = null', ['p3', 'p4']],
    ['title != ""', ['p1', 'p2', 'p5']],
    ['title != "Hello World"', ['p2', 'p3', 'p4', 'p5']],
    ['title:lower = "hello world"', ['p1']],
    ['views > 5', ['p1', 'p5']],
    ['views >= 5', ['p1', 'p2', 'p5']],
    ['views < 5', ['p3']],
    ['views <= 5', ['p2', 'p3']],
    ['5 < views', ['p1', 'p5']],
    ['views = 10.0', ['p1']],
    ['views != 10', ['p2', 'p3', 'p4', 'p5']],
    ['published = true', ['p1', 'p5']],
    ['published = false', ['p2', 'p3']],
    ['title ~ "hello"', ['p1', 'p2']],
    ['title ~ "lo_"', ['p2']],
    ['title ~ "100%"', ['p5']],
    ['title ~ "0\\% s"', ['p5']],
    ['title ~ "%World"', ['p1']],
    ['title !~ "hello"', ['p3', 'p5']],
    ['title ~ ""', ['p1', 'p2', 'p3', 'p5']],
    ['"Say Hello World!" ~ title', ['p1', 'p3']],
    ['views = 10 || views = 5 && title = "x"', ['p1']],
    ['(views = 10 || views = 5) && title ~ "hello"', ['p1', 'p2']],
    ['views = 10 || views = 5 && title ~ "hello"', ['p1', 'p2']],
    ['views = 100 || (views = 5 && title = "x")', ['p5']],
    ['tags ~ "c"', ['p4']],
    ['tags:length > 1', ['p1', 'p5']],
    ['author.name = "Ann"', ['p1', 'p5']],
    ['author.name = ""', ['p3', 'p4']],
    ['author.email = "ann@x.io"', ['p1', 'p5']],
    ['author.email = "bob@x.io"', []],
    ['data = null', ['p2', 'p4']],
    ['data.missing = 1 || data = "str"', ['p3']],
    ['strftime("%Y", created) = "2024"', ['p1', 'p5']],
    ['strftime("%Y-%m", created, "+1 day") = "2025-01"', ['p5']],
    ['geoDistance(0, 0, 0, 1) > 111 && geoDistance(0, 0, 0, 1) < 112 && id = "p1"', ['p1']],
  ])('%s', (filter, ids) => {
    if (filter.startsWith('data.missing')) {
      // unknown field: must fail cleanly rather than match anything
      expect(() => query(db, filter)).toThrow(/unknown field/);
      return;
    }
    expect(query(db, filter)).toEqual(ids);
  });

  it.each([
    // any-of: some element matches; an empty set behaves as one NULL element (PocketBase LEFT JOIN)
    ['tags:each ?= "a"', ['p1', 'p2', 'p5']],
    ['tags:each ?= ""', ['p3']],
    ['tags:each ?!= "a"', ['p1', 'p3', 'p4']],
    ['tags:each ?~ "b"', ['p1']],
    ['tags:each ?!~ "a"', ['p1', 'p4']],
    ['tags:each ?> "a"', ['p1', 'p4']],
    // all-of: at least one (or the NULL stand-in) matches and none fails
    ['tags:each = "a"', ['p2', 'p5']],
    ['tags:each = ""', ['p3']],
    ['tags:each != "a"', ['p3', 'p4']],
    ['tags:each ~ "a"', ['p2', 'p5']],
    ['tags:each !~ "a"', ['p4']],
    ['tags:each >= "a"', ['p1', 'p2', 'p4', 'p5']],
    ['"a" = tags:each', ['p2', 'p5']],
    // relation path through a multi relation (dangling ids give NULL elements)
    ['editors.name ?= "Bob"', ['p1', 'p5']],
    ['editors.name = "Ann"', ['p2']],
    ['editors.name ?= ""', ['p3', 'p4', 'p5']],
    ['editors.name = ""', ['p3', 'p4']],
    // many vs many
    ['tags:each ?= tags:each', ['p1', 'p2', 'p3', 'p4', 'p5']],
    ['tags:each = tags:each', ['p2', 'p3', 'p4', 'p5']],
    ['tags:each ?!= tags:each', ['p1']],
    // strftime over a multi-valued time value keeps the semantics
    ['strftime("%Y", tags:each) ?= ""', ['p1', 'p2', 'p3', 'p4', 'p5']],
  ])('multi: %s', (filter, ids) => {
    expect(query(db, filter)).toEqual(ids);
  });

  it('joined mode gives the same results as EXISTS mode', () => {
    for (const op of ['=', '!=', '~', '!~', '>', '>=', '<', '<=']) {
      for (const value of ['"a"', '""', '"b"', 'null']) {
        for (const prefix of ['', '?']) {
          const plain = query(db, `tags:each ${prefix}${op} ${value}`);
          const joined = query(db, `jtags:each ${prefix}${op} ${value}`);
          expect(joined, `${prefix}${op} ${value}`).toEqual(plain);
        }
      }
    }
  });

  it('joined mode correlates conditions on the same element', () => {
    // joined (PocketBase) mode: one element must be both > "a" and < "b" - none is
    expect(query(db, 'jtags:each ?> "a" && jtags:each ?< "b"')).toEqual([]);
    expect(query(db, 'jtags:each ?> "a" && jtags:each ?< "c"')).toEqual(['p1']);
    // EXISTS mode checks each condition on its own: p1 has "b" > "a" and "a" < "b"
    expect(query(db, 'tags:each ?> "a" && tags:each ?< "b"')).toEqual(['p1']);
  });

  it('handles request values', () => {
    expect(query(db, 'author = @request.auth.id', fakeResolver('u1'))).toEqual(['p1', 'p5']);
    expect(query(db, 'author = @request.auth.id', fakeResolver(''))).toEqual(['p3']);
    expect(query(db, '@request.auth.id != ""', fakeResolver(''))).toEqual([]);
    expect(query(db, '@request.auth.id != ""', fakeResolver('u1'))).toHaveLength(5);
    expect(query(db, 'title ~ @request.query.q')).toEqual(['p1', 'p2']);
  });

  it('evaluates macros at the given now', () => {
    const now = new Date('2024-06-15T12:00:00.000Z');
    expect(query(db, 'created < @now && created != ""', fakeResolver(), { now })).toEqual(['p1', 'p2']);
    expect(query(db, 'created >= @yearStart && created <= @yearEnd', fakeResolver(), { now })).toEqual(['p1', 'p5']);
    expect(query(db, 'strftime("%Y", created) = @year', fakeResolver(), { now })).toEqual([]); // '2024' text vs 2024 int
    expect(query(db, 'views > @month', fakeResolver(), { now })).toEqual(['p1', 'p5']);
  });
});
