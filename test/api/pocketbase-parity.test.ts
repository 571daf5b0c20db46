// Differences from PocketBase that a switching user would hit (issue #17), as PocketBase scenarios: request in,
// status and body content out. Each row failed before its fix.
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { SUPERUSER } from '../../src/core/records/index.js';
import { runScenario } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

const notes = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'title', type: 'text' }] };

let app: SatchelApp;
let cleanup: () => Promise<void>;
let noteId: string;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([notes], { rateLimit: false }));
  noteId = String((await app.records.create('notes', { title: 'first' }, SUPERUSER)).id);
});

afterAll(() => cleanup());

describe('record ids', () => {
  it('a PATCH that changes the id: 400 validation_pk_change, and nothing changes', async () => {
    await runScenario(app, {
      name: 'id change',
      method: 'PATCH',
      url: `/api/collections/notes/records/${noteId}`,
      body: { id: 'otherid00000001', title: 'renamed' },
      status: 400,
      contains: ['"id":{"code":"validation_pk_change","message":"The record primary key cannot be changed."}'],
    });
    await runScenario(app, {
      name: 'unchanged',
      url: `/api/collections/notes/records/${noteId}`,
      status: 200,
      contains: ['"title":"first"'],
    });
  });

  it('a PATCH that repeats the same id is an ordinary update', async () => {
    await runScenario(app, {
      name: 'same id',
      method: 'PATCH',
      url: `/api/collections/notes/records/${noteId}`,
      body: { id: noteId, title: 'same id' },
      status: 200,
      contains: ['"title":"same id"'],
    });
  });
});
