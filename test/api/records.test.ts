// The record API over HTTP (app.request, no port): routes, list parameters, bodies and every error status.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { runScenario, send, type Scenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      {
        name: 'posts',
        ...OPEN_RULES,
        fields: [
          { name: 'title', type: 'text', required: true },
          { name: 'views', type: 'number' },
          { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
          { name: 'body', type: 'editor' },
          { name: 'meta', type: 'json' },
          { name: 'internal', type: 'text', hidden: true },
        ],
      },
      { name: 'locked', fields: [{ name: 'title', type: 'text' }] },
      { name: 'authors', ...OPEN_RULES, fields: [{ name: 'name', type: 'text' }] },
      {
        name: 'books',
        ...OPEN_RULES,
        fields: [
          { name: 'title', type: 'text' },
          { name: 'author', type: 'relation', collectionId: 'authors', maxSelect: 1, cascadeDelete: true },
          { name: 'editors', type: 'relation', collectionId: 'authors', maxSelect: 5 },
        ],
      },
      {
        name: 'reviews',
        ...OPEN_RULES,
        fields: [{ name: 'book', type: 'relation', collectionId: 'books', maxSelect: 1, required: true }],
      },
    ],
    { bodyLimit: 1024 },
  ));
  for (const [title, views] of [
    ['banana', 3],
    ['apple', 10],
    ['cherry', 1],
    ['date', 7],
    ['elder', 5],
  ] as const) {
    const res = await send(app, {
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title, views, internal: 'x' },
    });
    ids[title] = ((await res.json()) as { id: string }).id;
  }
});
afterAll(() => cleanup());

const titles = (json: { items: { title: string }[] }) => json.items.map((i) => i.title);

describe('list parameters', () => {
  const rows: Scenario[] = [
    {
      name: 'defaults: page 1, perPage 30, totals, every item',
      url: '/api/collections/posts/records',
      status: 200,
      check: (j) => expect(j).toMatchObject({ page: 1, perPage: 30, totalItems: 5, totalPages: 1 }),
    },
    {
      name: 'sort ascending by text',
      url: '/api/collections/posts/records?sort=title',
      status: 200,
      check: (j) => expect(titles(j)).toEqual(['apple', 'banana', 'cherry', 'date', 'elder']),
    },
    {
      name: 'sort descending by number',
      url: '/api/collections/posts/records?sort=-views',
      status: 200,
      check: (j) => expect(titles(j)).toEqual(['apple', 'date', 'elder', 'banana', 'cherry']),
    },
    {
      name: 'several sort keys and the collection id in the path',
      url: '/api/collections/posts/records?sort=-created,title',
      status: 200,
      check: (j) => expect(j.items).toHaveLength(5),
    },
    {
      name: 'paging',
      url: '/api/collections/posts/records?sort=title&page=2&perPage=2',
      status: 200,
      check: (j) => {
        expect(j).toMatchObject({ page: 2, perPage: 2, totalItems: 5, totalPages: 3 });
        expect(titles(j)).toEqual(['cherry', 'date']);
      },
    },
    {
      name: 'a page past the end is empty',
      url: '/api/collections/posts/records?page=9&perPage=2',
      status: 200,
      check: (j) => expect(j).toMatchObject({ page: 9, items: [] }),
    },
    {
      name: 'perPage is capped at 1000, junk falls back to defaults',
      url: '/api/collections/posts/records?perPage=5000&page=-3',
      status: 200,
      check: (j) => expect(j).toMatchObject({ page: 1, perPage: 1000 }),
    },
    {
      name: 'skipTotal gives -1 totals',
      url: '/api/collections/posts/records?skipTotal=1&perPage=1',
      status: 200,
      check: (j) => {
        expect(j).toMatchObject({ totalItems: -1, totalPages: -1 });
        expect(j.items).toHaveLength(1);
      },
    },
    {
      name: '@random sort returns everything',
      url: '/api/collections/posts/records?sort=@random',
      status: 200,
      check: (j) => expect(titles(j).sort()).toEqual(['apple', 'banana', 'cherry', 'date', 'elder']),
    },
    {
      name: 'fields projects items and keeps the envelope',
      url: '/api/collections/posts/records?sort=title&perPage=1&fields=id,title',
      status: 200,
      check: (j) => {
        expect(Object.keys(j)).toEqual(['page', 'perPage', 'totalItems', 'totalPages', 'items']);
        expect(Object.keys(j.items[0])).toEqual(['id', 'title']);
      },
    },
    {
      name: 'unknown sort field is a 400 naming it',
      url: '/api/collections/posts/records?sort=nope',
      status: 400,
      contains: ['nope'],
    },
    {
      name: 'hidden fields cannot be sorted on by guests',
      url: '/api/collections/posts/records?sort=internal',
      status: 400,
    },
    {
      name: 'hostile sort text is a 400 without SQL',
      url: `/api/collections/posts/records?sort=${encodeURIComponent('title; DROP TABLE posts--')}`,
      status: 400,
      notContains: ['SELECT', 'SQLITE', 'syntax error', 'no such column'],
    },
    {
      name: 'hidden fields never leave the server for guests',
      url: '/api/collections/posts/records',
      status: 200,
      notContains: ['internal'],
    },
  ];
  it.each(rows)('$name', (row) => runScenario(app, row));

  it('getFullList-style paging walks every record exactly once', async () => {
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const res = await send(app, {
        url: `/api/collections/posts/records?page=${page}&perPage=2&skipTotal=1&sort=views`,
      });
      const json = (await res.json()) as { items: { title: string }[] };
      seen.push(...titles(json));
      if (json.items.length < 2) break;
    }
    expect(seen).toEqual(['cherry', 'banana', 'elder', 'date', 'apple']);
  });
});

describe('view, create, update, delete', () => {
  it('views by collection id as well as name', async () => {
    const byName = await runScenario(app, {
      name: 'by name',
      url: `/api/collections/posts/records/${ids.apple}`,
      status: 200,
    });
    await runScenario(app, {
      name: 'by id',
      url: `/api/collections/${byName.collectionId}/records/${ids.apple}`,
      status: 200,
      check: (j) => expect(j).toEqual(byName),
    });
    expect(Object.keys(byName).slice(0, 5)).toEqual(['id', 'collectionId', 'collectionName', 'created', 'updated']);
  });

  it('creates (200, the record), updates (200, updated moves) and deletes (204, then 404)', async () => {
    const created = await runScenario(app, {
      name: 'create',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title: 'fig', tags: ['a', 'c'], meta: { n: 1 } },
      status: 200,
      check: (j) => expect(j).toMatchObject({ title: 'fig', tags: ['a', 'c'], meta: { n: 1 }, views: 0, body: '' }),
    });
    await new Promise((r) => setTimeout(r, 5));
    const updated = await runScenario(app, {
      name: 'update',
      method: 'PATCH',
      url: `/api/collections/posts/records/${created.id}`,
      body: { views: 4, 'tags-': 'a' },
      status: 200,
      check: (j) => expect(j).toMatchObject({ title: 'fig', views: 4, tags: ['c'], created: created.created }),
    });
    expect(updated.updated > created.updated).toBe(true);
    await runScenario(app, {
      name: 'delete',
      method: 'DELETE',
      url: `/api/collections/posts/records/${created.id}`,
      status: 204,
    });
    await runScenario(app, { name: 'gone', url: `/api/collections/posts/records/${created.id}`, status: 404 });
  });

  it('reads multipart bodies, with typed values from @jsonPayload', async () => {
    const form = new FormData();
    form.append('title', 'grape');
    form.append('views', '12');
    form.append('@jsonPayload', JSON.stringify({ meta: { deep: [1, 2] }, tags: ['b'] }));
    await runScenario(app, {
      name: 'multipart',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: form,
      status: 200,
      check: (j) => expect(j).toMatchObject({ title: 'grape', views: 12, meta: { deep: [1, 2] }, tags: ['b'] }),
    });
  });

  it('reads urlencoded bodies', async () => {
    await runScenario(app, {
      name: 'urlencoded',
      method: 'POST',
      url: '/api/collections/posts/records',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'title=kiwi&views=2',
      status: 200,
      check: (j) => expect(j).toMatchObject({ title: 'kiwi', views: 2 }),
    });
  });
});

describe('errors', () => {
  const rows: Scenario[] = [
    {
      name: 'unknown collection',
      url: '/api/collections/nope/records',
      status: 404,
      contains: ['Missing collection context.'],
    },
    {
      name: 'unknown record',
      url: '/api/collections/posts/records/doesnotexist123',
      status: 404,
      contains: ['"data":{}'],
    },
    { name: 'unknown route', url: '/api/nothing-here', status: 404, contains: ['"status":404'] },
    {
      name: 'update of an unknown record',
      method: 'PATCH',
      url: '/api/collections/posts/records/doesnotexist123',
      body: { title: 'x' },
      status: 404,
    },
    {
      name: 'delete of an unknown record',
      method: 'DELETE',
      url: '/api/collections/posts/records/doesnotexist123',
      status: 404,
    },
    {
      name: 'malformed JSON',
      method: 'POST',
      url: '/api/collections/posts/records',
      headers: { 'content-type': 'application/json' },
      body: '{"title": ',
      status: 400,
      contains: ['invalid formatting'],
      notContains: ['SyntaxError', 'at JSON.parse'],
    },
    {
      name: 'a JSON array is not a record',
      method: 'POST',
      url: '/api/collections/posts/records',
      headers: { 'content-type': 'application/json' },
      body: '[1,2]',
      status: 400,
    },
    {
      name: 'validation failure names the field',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { views: 1 },
      status: 400,
      check: (j) =>
        expect(j).toEqual({
          status: 400,
          message: 'Failed to create record.',
          data: { title: { code: 'validation_required', message: 'Cannot be blank.' } },
        }),
    },
    {
      name: 'a body over the limit is a 413',
      method: 'POST',
      url: '/api/collections/posts/records',
      body: { title: 'x'.repeat(5000) },
      status: 413,
      contains: ['"status":413'],
    },
    {
      name: 'a locked list rule is a 403 for guests',
      url: '/api/collections/locked/records',
      status: 403,
      contains: ['Only superusers'],
    },
    {
      name: 'a locked create rule is a 403 for guests',
      method: 'POST',
      url: '/api/collections/locked/records',
      body: { title: 'x' },
      status: 403,
    },
    {
      name: 'a filter that does not parse is a 400 saying where',
      url: `/api/collections/posts/records?filter=${encodeURIComponent('title = (')}`,
      status: 400,
      contains: ['position'],
    },
    {
      name: 'a filter on an unknown field is a 400 naming it',
      url: `/api/collections/posts/records?filter=${encodeURIComponent('nope = 1')}`,
      status: 400,
      contains: ['nope'],
    },
  ];
  it.each(rows)('$name', (row) => runScenario(app, row));

  it('refuses a chunked body over the limit before reading it all', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(512));
    let pulled = 0;
    const stream = new ReadableStream({
      pull(controller) {
        pulled++;
        if (pulled > 100) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = await app.hono.request('/api/collections/posts/records', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(pulled).toBeLessThan(100);
  });

  it('reads a chunked body under the limit, and thousands of them do not pile up in memory', async () => {
    const own = await tempApp([{ name: 'notes', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] }], {
      rateLimit: false,
    });
    const chunked = (text: string) =>
      own.app.hono.request('/api/collections/notes/records', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(text.slice(0, 5)));
            controller.enqueue(new TextEncoder().encode(text.slice(5)));
            controller.close();
          },
        }),
        duplex: 'half',
      } as RequestInit);
    const res = await chunked(JSON.stringify({ title: 'sent in chunks' }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).title).toBe('sent in chunks');
    // Each request used to stay reachable through an abort listener between the two Request objects.
    const gc = (globalThis as { gc?: () => void }).gc;
    const heap = () => {
      gc?.();
      return process.memoryUsage().heapUsed;
    };
    for (let i = 0; i < 300; i++) await (await chunked('{"title":"warm"}')).arrayBuffer();
    const before = heap();
    for (let i = 0; i < 3000; i++) await (await chunked('{"title":"leak?"}')).arrayBuffer();
    const grown = heap() - before;
    await own.cleanup();
    if (gc) expect(grown).toBeLessThan(3 * 1024 * 1024);
  });
});

describe('relations on delete', () => {
  const create = async (collection: string, body: object) =>
    (await (await send(app, { method: 'POST', url: `/api/collections/${collection}/records`, body })).json()) as {
      id: string;
    };

  it('cascades, detaches from optional multi relations, and refuses to break a required one', async () => {
    const author = await create('authors', { name: 'Ann' });
    const editor = await create('authors', { name: 'Ed' });
    const book = await create('books', { title: 'B', author: author.id, editors: [editor.id, author.id] });
    const other = await create('books', { title: 'C', editors: [editor.id] });
    const review = await create('reviews', { book: other.id });

    // Deleting the editor detaches it from both books' editors lists.
    await runScenario(app, {
      name: 'delete editor',
      method: 'DELETE',
      url: `/api/collections/authors/records/${editor.id}`,
      status: 204,
    });
    await runScenario(app, {
      name: 'detached',
      url: `/api/collections/books/records/${book.id}`,
      status: 200,
      check: (j) => expect(j.editors).toEqual([author.id]),
    });

    // Deleting the author cascades to the book whose single author it is.
    await runScenario(app, {
      name: 'delete author',
      method: 'DELETE',
      url: `/api/collections/authors/records/${author.id}`,
      status: 204,
    });
    await runScenario(app, { name: 'cascaded', url: `/api/collections/books/records/${book.id}`, status: 404 });

    // The other book is required by a review: refused, and nothing is deleted.
    await runScenario(app, {
      name: 'required reference',
      method: 'DELETE',
      url: `/api/collections/books/records/${other.id}`,
      status: 400,
      contains: ['required relation reference'],
    });
    await runScenario(app, { name: 'still there', url: `/api/collections/books/records/${other.id}`, status: 200 });
    await runScenario(app, { name: 'review kept', url: `/api/collections/reviews/records/${review.id}`, status: 200 });
  });
});

describe('health', () => {
  it('answers in PocketBase shape', () =>
    runScenario(app, {
      name: 'health',
      url: '/api/health',
      status: 200,
      check: (j) => expect(j).toEqual({ code: 200, message: 'API is healthy.', data: {} }),
    }));
});
