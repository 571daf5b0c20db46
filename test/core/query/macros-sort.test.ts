import { describe, expect, it } from 'vitest';
import { buildFilter, FilterError, macroValue, parseSort } from '../../../src/core/query/index.js';
import { fakeResolver } from './fixtures.js';

describe('macros', () => {
  const now = new Date('2024-02-10T13:14:15.678Z'); // a Saturday, leap year

  it.each([
    ['@now', '2024-02-10 13:14:15.678Z'],
    ['@yesterday', '2024-02-09 13:14:15.678Z'],
    ['@tomorrow', '2024-02-11 13:14:15.678Z'],
    ['@todayStart', '2024-02-10 00:00:00.000Z'],
    ['@todayEnd', '2024-02-10 23:59:59.999Z'],
    ['@monthStart', '2024-02-01 00:00:00.000Z'],
    ['@monthEnd', '2024-02-29 23:59:59.999Z'],
    ['@yearStart', '2024-01-01 00:00:00.000Z'],
    ['@yearEnd', '2024-12-31 23:59:59.999Z'],
    ['@second', 15],
    ['@minute', 14],
    ['@hour', 13],
    ['@day', 10],
    ['@month', 2],
    ['@weekday', 6],
    ['@year', 2024],
  ])('%s', (name, value) => {
    expect(macroValue(name, now)).toBe(value);
    expect(buildFilter(`created = ${name}`, fakeResolver(), { now })).toMatchObject({
      sql: '"posts"."created" = ?',
      params: [value],
    });
  });

  it('handles month ends and unknown names', () => {
    expect(macroValue('@monthEnd', new Date('2023-12-05T00:00:00Z'))).toBe('2023-12-31 23:59:59.999Z');
    expect(macroValue('@monthEnd', new Date('2023-04-30T23:59:59Z'))).toBe('2023-04-30 23:59:59.999Z');
    expect(macroValue('@NOW', now)).toBeUndefined();
    expect(macroValue('toString', now)).toBeUndefined();
  });

  it('uses one instant for the whole filter', () => {
    const { params } = buildFilter('created >= @todayStart && created <= @now', fakeResolver(), { now });
    expect(params).toEqual(['2024-02-10 00:00:00.000Z', '2024-02-10 13:14:15.678Z']);
  });
});

describe('parseSort', () => {
  it('parses directions and special names', () => {
    expect(parseSort('-created, +title,id,@random,-@rowid,author.name,title:lower')).toEqual([
      { name: 'created', desc: true },
      { name: 'title', desc: false },
      { name: 'id', desc: false },
      { name: '@random', desc: false },
      { name: '@rowid', desc: true },
      { name: 'author.name', desc: false },
      { name: 'title:lower', desc: false },
    ]);
    expect(parseSort('')).toEqual([]);
    expect(parseSort('  ')).toEqual([]);
  });

  it.each([
    ['a,b,c,d,e,f,g,h,i', 'too many sort fields'],
    ['a,,b', 'empty sort field'],
    ['-', 'empty sort field'],
    ['title;DROP TABLE x', 'invalid sort field'],
    ['"title"', 'invalid sort field'],
    ['a b', 'invalid sort field'],
    ['--a', 'invalid sort field'],
    ['a.', 'invalid sort field'],
    ['RANDOM()', 'invalid sort field'],
    [`-${'a'.repeat(256)}`, 'too long'],
  ])('rejects %j', (text, fragment) => {
    expect(() => parseSort(text)).toThrow(FilterError);
    expect(() => parseSort(text)).toThrow(fragment);
  });

  it('accepts exactly 8 entries and 255-char names', () => {
    expect(parseSort('a,b,c,d,e,f,g,h')).toHaveLength(8);
    expect(parseSort('a'.repeat(255))[0]!.name).toHaveLength(255);
  });
});
