// Every field type's casting and validation, through the record engine (no HTTP).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.js';
import { openEngine, type Engine } from '../../src/core/engine.js';
import { GUEST, SUPERUSER } from '../../src/core/records/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

let engine: Engine;
let dirs: TempDirs;

beforeAll(async () => {
  dirs = tempDirs();
  dirs.writeCollection({ name: 'authors', ...OPEN_RULES, fields: [{ name: 'name', type: 'text' }] });
  dirs.writeCollection({
    name: 'things',
    ...OPEN_RULES,
    fields: [
      { name: 'text_req', type: 'text', required: true },
      { name: 'text_len', type: 'text', min: 3, max: 5 },
      { name: 'text_pat', type: 'text', pattern: '^[a-z]+$' },
      { name: 'editor', type: 'editor', maxSize: 10 },
      { name: 'num', type: 'number', min: 1, max: 10 },
      { name: 'int', type: 'number', onlyInt: true },
      { name: 'num_req', type: 'number', required: false },
      { name: 'flag', type: 'bool' },
      { name: 'mail', type: 'email', onlyDomains: ['example.com'] },
      { name: 'mail_except', type: 'email', exceptDomains: ['spam.io'] },
      { name: 'site', type: 'url', exceptDomains: ['bad.io'] },
      { name: 'when', type: 'date', min: '2020-01-01', max: '2030-01-01' },
      { name: 'stamp', type: 'autodate', onCreate: true },
      { name: 'one', type: 'select', values: ['a', 'b', 'c'] },
      { name: 'many', type: 'select', values: ['a', 'b', 'c'], maxSelect: 2 },
      { name: 'data', type: 'json', maxSize: 30 },
      { name: 'author', type: 'relation', collectionId: 'authors', maxSelect: 1 },
      { name: 'authors', type: 'relation', collectionId: 'authors', maxSelect: 3, minSelect: 2 },
      { name: 'doc', type: 'file', maxSelect: 1 },
      { name: 'secret', type: 'text', hidden: true },
    ],
  });
  engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
});

afterAll(async () => {
  await engine.close();
  dirs.remove();
});

const base = { text_req: 'x' };

async function createError(body: Record<string, unknown>): Promise<Record<string, { code: string }>> {
  try {
    await engine.records.create('things', { ...base, ...body }, GUEST);
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    return (err as ApiError).data as Record<string, { code: string }>;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

describe('field validation', () => {
  const refused: [string, Record<string, unknown>, string, string][] = [
    ['required text missing', { text_req: '' }, 'text_req', 'validation_required'],
    ['text too short', { text_len: 'ab' }, 'text_len', 'validation_min_text_constraint'],
    ['text too long', { text_len: 'abcdef' }, 'text_len', 'validation_max_text_constraint'],
    ['text pattern', { text_pat: 'ABC' }, 'text_pat', 'validation_match_invalid'],
    ['text given an object', { text_len: { a: 1 } }, 'text_len', 'validation_invalid_value'],
    ['editor over maxSize', { editor: '<p>12345678</p>' }, 'editor', 'validation_max_size_constraint'],
    ['number below min', { num: 0.5 }, 'num', 'validation_min_number_constraint'],
    ['number above max', { num: 11 }, 'num', 'validation_max_number_constraint'],
    ['number below min, negative', { num: -1 }, 'num', 'validation_min_number_constraint'],
    ['number not a number', { num: 'lots' }, 'num', 'validation_not_a_number'],
    ['number only int', { int: 1.5 }, 'int', 'validation_only_int_constraint'],
    ['bool given junk', { flag: 'maybe' }, 'flag', 'validation_invalid_value'],
    ['email format', { mail: 'not-an-email' }, 'mail', 'validation_is_email'],
    ['email only domains', { mail: 'a@other.com' }, 'mail', 'validation_email_domain_not_allowed'],
    ['email except domains', { mail_except: 'a@spam.io' }, 'mail_except', 'validation_email_domain_not_allowed'],
    ['url format', { site: 'javascript:alert(1)' }, 'site', 'validation_is_url'],
    ['url except domains', { site: 'https://bad.io/x' }, 'site', 'validation_url_domain_not_allowed'],
    ['date junk', { when: 'next tuesday' }, 'when', 'validation_invalid_date'],
    ['date before min', { when: '2019-12-31' }, 'when', 'validation_min_date_constraint'],
    ['date after max', { when: '2031-01-01 10:00:00Z' }, 'when', 'validation_max_date_constraint'],
    ['select value not allowed', { one: 'z' }, 'one', 'validation_in_invalid'],
    ['multi select too many', { many: ['a', 'b', 'c'] }, 'many', 'validation_too_many_values'],
    ['multi select bad value', { many: ['a', 'q'] }, 'many', 'validation_in_invalid'],
    ['json too large', { data: { text: 'x'.repeat(40) } }, 'data', 'validation_json_size_limit'],
    ['relation missing record', { author: 'nosuchrecord123' }, 'author', 'validation_missing_rel_records'],
    ['relation below minSelect', { authors: ['a'] }, 'authors', 'validation_not_enough_values'],
    ['file name with a path', { doc: '../etc/passwd' }, 'doc', 'validation_invalid_file'],
    ['id of the wrong length', { id: 'short' }, 'id', 'validation_min_text_constraint'],
    ['id with capitals', { id: 'ABCDEFGHIJKLMNO' }, 'id', 'validation_match_invalid'],
  ];
  it.each(refused)('%s is refused', async (_name, body, field, code) => {
    const data = await createError(body);
    expect(data[field]?.code).toBe(code);
  });

  it('reports every failing field at once', async () => {
    const data = await createError({ text_req: '', num: 99, one: 'z' });
    expect(Object.keys(data).sort()).toEqual(['num', 'one', 'text_req']);
  });

  it('stores casts and empty values as PocketBase shows them', async () => {
    const rec = await engine.records.create(
      'things',
      { ...base, num: '7', flag: 'true', when: '2024-02-03T04:05:06Z', many: 'b', one: ['a', 'c'], stamp: 'ignored' },
      GUEST,
    );
    expect(rec).toMatchObject({ num: 7, flag: true, when: '2024-02-03 04:05:06.000Z', many: ['b'], one: 'c' });
    expect(rec.stamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(rec).toMatchObject({ text_len: '', int: 0, data: null, author: '', authors: [], doc: '', editor: '' });
    expect(rec.id).toMatch(/^[a-z0-9]{15}$/);
    const stored = await engine.records.view('things', rec.id as string, GUEST);
    expect(stored).toEqual(rec);
  });

  it('accepts valid relations, and minSelect counts the given ids', async () => {
    const a = await engine.records.create('authors', { name: 'A' }, GUEST);
    const b = await engine.records.create('authors', { name: 'B' }, GUEST);
    const rec = await engine.records.create('things', { ...base, author: a.id, authors: [a.id, b.id] }, GUEST);
    expect(rec).toMatchObject({ author: a.id, authors: [a.id, b.id] });
    const data = await createError({ authors: [a.id, 'missing00000000'] });
    expect(data.authors?.code).toBe('validation_missing_rel_records');
  });

  it('takes a client id that fits the pattern, and refuses it twice', async () => {
    const rec = await engine.records.create('things', { ...base, id: 'abcdefghij12345' }, GUEST);
    expect(rec.id).toBe('abcdefghij12345');
    const data = await createError({ id: 'abcdefghij12345' });
    expect(data.id?.code).toBe('validation_not_unique');
  });

  it('keeps hidden fields from guests, shows them to superusers', async () => {
    const asGuest = await engine.records.create('things', { ...base, secret: 'guest-set' }, GUEST);
    expect(asGuest).not.toHaveProperty('secret');
    const asSuper = await engine.records.create('things', { ...base, secret: 's3' }, SUPERUSER);
    expect(asSuper.secret).toBe('s3');
    expect((await engine.records.view('things', asGuest.id as string, SUPERUSER)).secret).toBe('');
  });

  it('applies number and list modifiers', async () => {
    const rec = await engine.records.create('things', { ...base, int: 5, many: ['a'] }, GUEST);
    const next = await engine.records.update('things', rec.id as string, { 'int+': 3, 'many+': 'b' }, GUEST);
    expect(next).toMatchObject({ int: 8, many: ['a', 'b'] });
    const back = await engine.records.update('things', rec.id as string, { 'int-': 10, 'many-': ['a'] }, GUEST);
    expect(back).toMatchObject({ int: -2, many: ['b'] });
  });
});
