// A list rule and a client's filter that each go through a different relation share one query: their joins must
// not take each other's names (they did: both were `__r1`, and the list answered a 500).
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([
    { name: 'boards', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] },
    { name: 'tags', ...OPEN_RULES, fields: [{ name: 'label', type: 'text' }] },
    {
      name: 'cards',
      ...OPEN_RULES,
      listRule: 'board.title != "private"',
      fields: [
        { name: 'text', type: 'text' },
        { name: 'board', type: 'relation', collectionId: 'boards', maxSelect: 1 },
        { name: 'tag', type: 'relation', collectionId: 'tags', maxSelect: 1 },
      ],
    },
  ]));
  const records = app.engine.records;
  const open = await records.create('boards', { title: 'open' }, SUPERUSER);
  const hidden = await records.create('boards', { title: 'private' }, SUPERUSER);
  const red = await records.create('tags', { label: 'red' }, SUPERUSER);
  const blue = await records.create('tags', { label: 'blue' }, SUPERUSER);
  await records.create('cards', { text: 'open red', board: open.id, tag: red.id }, SUPERUSER);
  await records.create('cards', { text: 'open blue', board: open.id, tag: blue.id }, SUPERUSER);
  await records.create('cards', { text: 'private red', board: hidden.id, tag: red.id }, SUPERUSER);
});
afterAll(() => cleanup());

it('the rule through one relation and the filter through another both apply', async () => {
  const filter = encodeURIComponent('tag.label = "red"');
  const res = await send(app, { method: 'GET', url: `/api/collections/cards/records?filter=${filter}&sort=tag.label` });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { items: { text: string }[] };
  expect(body.items.map((i) => i.text)).toEqual(['open red']);
});
