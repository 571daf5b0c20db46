// `satchel serve --hooks=DIR` and `--errors=problem+json` on a real server process.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, runCli, startServer } from './helpers/server.js';

afterAll(async () => {
  await cleanup();
});

const posts = { name: 'posts', listRule: '', viewRule: '', createRule: '', fields: [{ name: 'title', type: 'text' }] };

describe('serve --hooks', () => {
  it('loads a TypeScript hooks file: its route answers and its record hook runs', async () => {
    const hooks = makeTempDir('satchel-hooks-');
    writeFileSync(
      join(hooks, 'main.ts'),
      `export default function (app: any): void {
         app.hono.get('/api/ping', (c: any) => c.json({ pong: true }));
         app.onRecordCreate('posts', (e: { record: Record<string, unknown>; next(): void }) => {
           e.record.title = 'from hook';
           e.next();
         });
       }`,
    );
    const server = await startServer({
      collections: [posts],
      args: ({ port, dataDir, collectionsDir }) => [
        'serve',
        `--http=127.0.0.1:${port}`,
        `--dir=${dataDir}`,
        `--collections=${collectionsDir}`,
        `--hooks=${hooks}`,
      ],
    });
    expect(server.output()).toContain('loaded hooks from');
    expect(await (await fetch(`${server.url}/api/ping`)).json()).toEqual({ pong: true });
    const created = await fetch(`${server.url}/api/collections/posts/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x' }),
    });
    expect(((await created.json()) as { title: string }).title).toBe('from hook');
    await server.stop();
  });

  it('a broken hooks file stops the start with one line naming it', async () => {
    const hooks = makeTempDir('satchel-hooks-');
    writeFileSync(join(hooks, 'broken.ts'), 'export const notAFunction = 1;');
    const data = makeTempDir('satchel-data-');
    const collections = makeTempDir('satchel-collections-');
    const result = await runCli([
      'serve',
      '--http=127.0.0.1:0',
      `--dir=${data}`,
      `--collections=${collections}`,
      `--hooks=${hooks}`,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^satchel: invalid hooks file: .*broken\.ts: must export a function/);
  });
});

describe('serve --errors=problem+json', () => {
  it('answers errors as application/problem+json', async () => {
    const server = await startServer({ collections: [posts], env: { SATCHEL_ERRORS: 'problem+json' } });
    const res = await fetch(`${server.url}/api/collections/nope/records`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(await res.json()).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    await server.stop();
  });
});

describe('serve --allow-data-loss', () => {
  it('refuses to drop a field that holds values until asked', async () => {
    const withViews = { ...posts, fields: [...posts.fields, { id: 'f_views', name: 'views', type: 'number' }] };
    const server = await startServer({ collections: [withViews] });
    await fetch(`${server.url}/api/collections/posts/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'kept', views: 3 }),
    });
    await server.stop();
    writeFileSync(join(server.collectionsDir, 'posts.json'), JSON.stringify(posts));
    const base = ['serve', '--http=127.0.0.1:0', `--dir=${server.dataDir}`, `--collections=${server.collectionsDir}`];
    const refused = await runCli(base);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^satchel: invalid collection definition: .*"views".*--allow-data-loss/);
    const again = await startServer({
      dataDir: server.dataDir,
      collectionsDir: server.collectionsDir,
      args: ({ port, dataDir, collectionsDir }) => [
        'serve',
        `--http=127.0.0.1:${port}`,
        `--dir=${dataDir}`,
        `--collections=${collectionsDir}`,
        '--allow-data-loss=on',
      ],
    });
    const list = (await (await fetch(`${again.url}/api/collections/posts/records`)).json()) as { items: object[] };
    expect(list.items).toEqual([expect.objectContaining({ title: 'kept' })]);
    expect(list.items[0]).not.toHaveProperty('views');
    await again.stop();
  });
});
