// `satchel serve --watch`: a collection file added or changed on disk is served without a restart; a bad edit
// is reported in one line and the running schema stays as it was.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { cleanup, startServer } from './helpers/server.js';

afterAll(() => cleanup());

const OPEN = { listRule: '', viewRule: '', createRule: '', updateRule: '', deleteRule: '' };

async function until(check: () => Promise<boolean>, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

it('reloads the collection files when they change, and keeps serving through a bad edit', async () => {
  const server = await startServer({
    collections: [{ name: 'posts', ...OPEN, fields: [{ name: 'title', type: 'text' }] }],
    args: ({ port, dataDir, collectionsDir }) => [
      'serve',
      `--http=127.0.0.1:${port}`,
      `--dir=${dataDir}`,
      `--collections=${collectionsDir}`,
      '--watch',
    ],
  });
  const notes = join(server.collectionsDir, 'notes.json');
  writeFileSync(notes, JSON.stringify({ name: 'notes', ...OPEN, fields: [{ name: 'text', type: 'text' }] }));
  const served = await until(async () => (await fetch(`${server.url}/api/collections/notes/records`)).status === 200);
  expect(served, server.output()).toBe(true);
  expect(server.output()).toContain('reloaded the collections');

  writeFileSync(notes, JSON.stringify({ name: 'notes', ...OPEN, fields: [{ name: 'text', type: 'txt' }] }));
  const reported = await until(async () => server.output().includes('were not reloaded'));
  expect(reported, server.output()).toBe(true);
  expect(server.output()).toMatch(/notes\.json: field "text": unknown type "txt"/);
  // The running schema is the last good one.
  const create = await fetch(`${server.url}/api/collections/notes/records`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text: 'still here' }),
  });
  expect(create.status).toBe(200);
  await server.stop();
});
