// Property tests: random and hostile filter, sort, fields and expand values against a real route.
// Never a 500, never SQL text in a body, never a record or field the rules hide.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { send } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([
    {
      name: 'people',
      listRule: 'public = true',
      viewRule: 'public = true',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'public', type: 'bool' },
      ],
    },
    {
      name: 'posts',
      listRule: 'public = true',
      viewRule: 'public = true',
      fields: [
        { name: 'title', type: 'text' },
        { name: 'public', type: 'bool' },
        { name: 'views', type: 'number' },
        { name: 'tags', type: 'select', values: ['a', 'b'], maxSelect: 2 },
        { name: 'owner', type: 'relation', collectionId: 'people', maxSelect: 1 },
        { name: 'hiddenNote', type: 'text', hidden: true },
      ],
    },
  ]));
  const records = app.engine.records;
  const secretPerson = await records.create('people', { name: 'SECRETPERSON', public: false }, SUPERUSER);
  const publicPerson = await records.create('people', { name: 'Pat', public: true }, SUPERUSER);
  await records.create(
    'posts',
    { title: 'TOPSECRET', public: false, views: 1, owner: publicPerson.id, hiddenNote: 'HIDDENVALUE' },
    SUPERUSER,
  );
  await records.create(
    'posts',
    { title: 'open', public: true, views: 2, tags: ['a'], owner: secretPerson.id, hiddenNote: 'HIDDENVALUE' },
    SUPERUSER,
  );
});
afterAll(() => cleanup());

const FRAGMENTS = [
  'title',
  'public',
  'views',
  'tags',
  'owner',
  'owner.name',
  'owner.public',
  'hiddenNote',
  'id',
  'created',
  'tags:each',
  'tags:length',
  'title:lower',
  'posts_via_owner.title',
  '@request.auth.id',
  '@collection.posts.title',
  '@now',
  '@random',
  '@rowid',
  '=',
  '!=',
  '~',
  '!~',
  '?=',
  '>',
  '<=',
  '&&',
  '||',
  '(',
  ')',
  '"',
  "'",
  '\\',
  '%',
  '_',
  ',',
  '.',
  ':',
  '-',
  '+',
  '*',
  'true',
  'false',
  'null',
  '1',
  '-1',
  '1e999',
  '"TOPSECRET"',
  "'; DROP TABLE posts; --",
  'OR 1=1',
  'UNION SELECT',
  ' ',
  'excerpt(3,true)',
  'expand',
  '\u0000',
  '😀',
  'ﬁ',
];
const hostile = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join(' ')),
  fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((parts) => parts.join('')),
);

async function probe(param: string, value: string): Promise<void> {
  const res = await send(app, { url: `/api/collections/posts/records?${param}=${encodeURIComponent(value)}` });
  const text = await res.text();
  expect([200, 400, 403], `${param}=${JSON.stringify(value)} -> ${res.status} ${text}`).toContain(res.status);
  for (const leak of [
    'TOPSECRET',
    'HIDDENVALUE',
    'SECRETPERSON',
    'SQLITE',
    'sqlite',
    'syntax error',
    'no such',
    'SELECT ',
  ]) {
    // An error message may quote the client's own text back; that is not a leak.
    if (value.toLowerCase().includes(leak.toLowerCase())) continue;
    expect(text, `${param}=${JSON.stringify(value)} leaked ${leak}`).not.toContain(leak);
  }
  if (res.status !== 200) return;
  // Structural check too, which quoting cannot fool: only the public post, never a hidden field or person.
  const items = (JSON.parse(text) as { items: Record<string, any>[] }).items;
  expect(items.length).toBeLessThanOrEqual(1);
  for (const item of items) {
    expect(item.title === undefined || item.title === 'open').toBe(true);
    expect(item).not.toHaveProperty('hiddenNote');
    expect(item.expand?.owner).toBeUndefined();
  }
}

describe('hostile list parameters', () => {
  for (const param of ['filter', 'sort', 'fields', 'expand']) {
    it(`${param}: never a 500, never SQL, never a hidden record or field`, async () => {
      await fc.assert(
        fc.asyncProperty(hostile, (value) => probe(param, value)),
        { numRuns: 250, interruptAfterTimeLimit: 20_000 },
      );
    });
  }

  it('known attempts to widen the rule find nothing', async () => {
    for (const filter of [
      'public = false',
      'public = false || 1 = 1',
      'title = "TOPSECRET"',
      'id != ""',
      'owner.public = false',
    ]) {
      const res = await send(app, {
        url: `/api/collections/posts/records?filter=${encodeURIComponent(filter)}&expand=owner`,
      });
      const text = await res.text();
      expect(text).not.toContain('TOPSECRET');
      expect(text).not.toContain('SECRETPERSON');
    }
  });
});
