// Filters on multi-value fields as PocketBase answers them (issue #17), as scenarios: the filter in, the records
// that must and must not come back. Expectations follow PocketBase's record_field_resolver_runner.go and
// tools/search/filter.go: a bare multi-value field is its stored JSON text, `:each` lists its items, a path
// through a multi relation lists the related values; `?` operators mean "any item", plain ones "every item".
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { runScenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;
let lem = '';

const TITLES = ['Solaris', 'Odes', 'Blank'];

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      {
        name: 'people',
        ...OPEN_RULES,
        fields: [
          { name: 'name', type: 'text' },
          { name: 'files', type: 'file', maxSelect: 5 },
        ],
      },
      {
        name: 'books',
        ...OPEN_RULES,
        fields: [
          { name: 'title', type: 'text' },
          { name: 'genres', type: 'select', maxSelect: 3, values: ['scifi', 'poetry', 'drama'] },
          { name: 'kind', type: 'select', maxSelect: 1, values: ['novel', 'essay'] },
          { name: 'authors', type: 'relation', collectionId: 'people', maxSelect: 5 },
          { name: 'covers', type: 'file', maxSelect: 3 },
          { name: 'meta', type: 'json' },
        ],
      },
      {
        // A rule through two multi relations ending in `:length`, as PocketBase accepts it: the app must start.
        name: 'picks',
        ...OPEN_RULES,
        listRule: 'books.authors.files:length ?> 1',
        fields: [
          { name: 'label', type: 'text' },
          { name: 'books', type: 'relation', collectionId: 'books', maxSelect: 5 },
        ],
      },
    ],
    { rateLimit: false },
  ));
  const person = async (name: string, files: string[]) => {
    const id = String((await app.records.create('people', { name }, SUPERUSER)).id);
    // File names written as stored, without uploads: the filters only read the names.
    await app.store.run(`UPDATE "people" SET "files" = ? WHERE "id" = ?`, [JSON.stringify(files), id]);
    return id;
  };
  lem = await person('Lem', ['a.png']);
  const tarkovsky = await person('Tarkovsky', ['b.png', 'c.jpg']);
  const book = async (title: string, values: Record<string, unknown>, covers: string[]) => {
    const id = String((await app.records.create('books', { title, ...values }, SUPERUSER)).id);
    await app.store.run(`UPDATE "books" SET "covers" = ? WHERE "id" = ?`, [JSON.stringify(covers), id]);
  };
  await book('Solaris', { genres: ['scifi', 'poetry'], kind: 'novel', authors: [lem, tarkovsky], meta: ['a', 'b'] }, [
    's1.png',
    's2.jpg',
  ]);
  await book('Odes', { genres: ['poetry'], kind: 'essay', authors: [lem], meta: { a: 1, tags: ['x'] } }, ['o.png']);
  await book('Blank', {}, []);
  const bookIds = Object.fromEntries(
    (await app.records.list('books', {}, SUPERUSER)).items.map((r) => [String(r.title), String(r.id)]),
  );
  await app.records.create('picks', { label: 'with-solaris', books: [bookIds.Odes, bookIds.Solaris] }, SUPERUSER);
  await app.records.create('picks', { label: 'odes-only', books: [bookIds.Odes] }, SUPERUSER);
});

afterAll(() => cleanup());

/** `filter` must list exactly `expected` of the three books. */
async function expectFilter(filter: string, expected: string[]) {
  await runScenario(app, {
    name: filter,
    url: `/api/collections/books/records?perPage=10&filter=${encodeURIComponent(filter.replace('LEM', lem))}`,
    status: 200,
    contains: expected.map((t) => `"title":"${t}"`),
    notContains: TITLES.filter((t) => !expected.includes(t)).map((t) => `"title":"${t}"`),
  });
}

describe('multi-value select', () => {
  it.each([
    // As PocketBase: the bare name is the stored JSON text, so `?=` compares the whole list (use `:each`).
    ["genres ?= 'poetry'", []],
    ["genres ~ 'poetry'", ['Solaris', 'Odes']],
    ["genres:each ?= 'poetry'", ['Solaris', 'Odes']],
    ["genres:each = 'poetry'", ['Odes']],
    ["genres:each ?!= 'poetry'", ['Solaris', 'Blank']],
    ["genres:each != 'poetry'", ['Blank']],
    ["genres:each ?~ 'oet'", ['Solaris', 'Odes']],
    // An empty list is one NULL item: NULL NOT LIKE ... is not true.
    ["genres:each !~ 'oet'", []],
    ["genres:each ?!~ 'oet'", ['Solaris']],
    ["genres:each ?> 'q'", ['Solaris']],
    ["genres:each >= 'poetry'", ['Solaris', 'Odes']],
    ["genres:each ?< 'q'", ['Solaris', 'Odes']],
    ["genres:each <= 'poetry'", ['Odes']],
    ["genres:each ?<= 'poetry'", ['Solaris', 'Odes']],
    ['genres:length = 2', ['Solaris']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));
});

describe('single select: :each and :length read it as a one-item list (PocketBase accepts both)', () => {
  it.each([
    ["kind:each ?= 'novel'", ['Solaris']],
    ["kind:each = 'essay'", ['Odes']],
    // An empty single select is one empty item, as PocketBase's json_array('') makes it.
    ['kind:length = 1', ['Solaris', 'Odes', 'Blank']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));
});

describe('multi relation', () => {
  it.each([
    ["authors.name ?= 'Lem'", ['Solaris', 'Odes']],
    ["authors.name = 'Lem'", ['Odes']],
    ["authors.name ?!= 'Lem'", ['Solaris', 'Blank']],
    ["authors.name != 'Lem'", ['Blank']],
    ["authors.name ?~ 'ark'", ['Solaris']],
    ["authors:each ?= 'LEM'", ['Solaris', 'Odes']],
    ["authors.id ?= 'LEM'", ['Solaris', 'Odes']],
    ['authors:length > 1', ['Solaris']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));
});

describe('multi file', () => {
  it.each([
    ["covers:each ?~ '.jpg'", ['Solaris']],
    ["covers:each ~ '.png'", ['Odes']],
    ["covers:each ?!~ '.png'", ['Solaris']],
    ['covers:length = 0', ['Blank']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));
});

describe('json values and paths', () => {
  it.each([
    ["meta ~ 'b'", ['Solaris']],
    ["meta.1 = 'b'", ['Solaris']],
    ['meta.a = 1', ['Odes']],
    ["meta.tags.0 = 'x'", ['Odes']],
    ['meta.a.b = null', TITLES],
    ['meta = null', ['Blank']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));

  it('a bare json field compares its JSON value, so a stored string equals the text', async () => {
    const id = String((await app.records.create('books', { title: 'Quoted', meta: 'plain' }, SUPERUSER)).id);
    await runScenario(app, {
      name: 'json string',
      url: `/api/collections/books/records?filter=${encodeURIComponent("meta = 'plain'")}`,
      status: 200,
      contains: ['"title":"Quoted"'],
    });
    await app.records.delete('books', id, SUPERUSER);
  });
});

describe(':length after a multi-valued relation path', () => {
  it.each([
    // Any related person with exactly one file / every related person with exactly one file.
    ['authors.files:length ?= 1', ['Solaris', 'Odes']],
    ['authors.files:length = 1', ['Odes']],
    ['authors.files:length ?> 1', ['Solaris']],
  ] as [string, string[]][])('%s', (filter, expected) => expectFilter(filter, expected));
});

describe(':length after multi-valued relation paths in a rule', () => {
  it('the rule lets through only picks with a book whose author has more than one file', async () => {
    await runScenario(app, {
      name: 'picks list',
      url: '/api/collections/picks/records',
      status: 200,
      contains: ['"label":"with-solaris"', '"totalItems":1'],
      notContains: ['"label":"odes-only"'],
    });
  });
});
