// Rules that read the request itself (@request.headers, .query, .method, .body) through real HTTP requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { runScenario } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      {
        name: 'notes',
        listRule: '@request.headers.x_api_key = "sesame" || @request.query.open = "yes"',
        viewRule: '@request.method = "GET"',
        createRule: '@request.body.title:isset = true && @request.body.title != "forbidden"',
        updateRule: '@request.body.title:changed = false',
        fields: [{ name: 'title', type: 'text' }],
      },
    ],
    { rateLimit: false },
  ));
});
afterAll(() => cleanup());

describe('rules on the request', () => {
  it('reads headers, query, method and body', async () => {
    const note = await runScenario(app, {
      name: 'create',
      method: 'POST',
      url: '/api/collections/notes/records',
      body: { title: 'hello' },
      status: 200,
    });
    await runScenario(app, {
      name: 'create refused by the body',
      method: 'POST',
      url: '/api/collections/notes/records',
      body: { title: 'forbidden' },
      status: 400,
    });
    await runScenario(app, {
      name: 'no key: filtered out',
      url: '/api/collections/notes/records',
      status: 200,
      check: (j) => expect(j.items).toEqual([]),
    });
    await runScenario(app, {
      name: 'header key',
      url: '/api/collections/notes/records',
      headers: { 'X-Api-Key': 'sesame' },
      status: 200,
      check: (j) => expect(j.items).toHaveLength(1),
    });
    await runScenario(app, {
      name: 'query',
      url: '/api/collections/notes/records?open=yes',
      status: 200,
      check: (j) => expect(j.items).toHaveLength(1),
    });
    await runScenario(app, { name: 'view by GET', url: `/api/collections/notes/records/${note.id}`, status: 200 });
    await runScenario(app, {
      name: 'update that changes the title is refused',
      method: 'PATCH',
      url: `/api/collections/notes/records/${note.id}`,
      body: { title: 'other' },
      status: 404,
    });
    await runScenario(app, {
      name: 'update that keeps it passes',
      method: 'PATCH',
      url: `/api/collections/notes/records/${note.id}`,
      body: { title: 'hello' },
      status: 200,
    });
  });
});
