// `satchel openapi` and `satchel typegen`: the reference printed without serving, with the hooks' described routes.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openApiProblems } from '../helpers/openapi-examples.js';
import { cleanup, ROOT, runCli, writeCollection } from './helpers/server.js';

const made: string[] = [];
afterAll(async () => {
  await cleanup();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function project() {
  // Inside the repository (git ignores test/.tmp), so the hooks file's `import 'satchel'` resolves.
  mkdirSync(join(ROOT, 'test', '.tmp'), { recursive: true });
  const root = mkdtempSync(join(ROOT, 'test', '.tmp', 'reference-'));
  made.push(root);
  const collections = join(root, 'collections');
  const hooks = join(root, 'pb_hooks');
  for (const dir of [collections, hooks]) mkdirSync(dir, { recursive: true });
  writeCollection(collections, {
    name: 'notes',
    listRule: '',
    createRule: '',
    fields: [{ name: 'text', type: 'text', required: true }],
  });
  writeCollection(collections, { name: 'vault', fields: [{ name: 'secret', type: 'text' }] });
  writeFileSync(
    join(hooks, 'ping.ts'),
    `import { v } from 'satchel';
     export default function (app: any): void {
       app.hono.get('/ping', (c: any) => c.json({ pong: true }));
       app.describeRoute({ method: 'get', path: '/ping', summary: 'Ping', responses: { 200: { description: 'Pong.', body: v.object({ pong: v.boolean() }) } } });
     }`,
  );
  return { root, flags: [`--dir=${join(root, 'pb_data')}`, `--collections=${collections}`, `--hooks=${hooks}`] };
}

describe('satchel openapi', () => {
  it("prints the public document, valid, with the hooks' routes; --audience=superuser prints the whole", async () => {
    const { root, flags } = project();
    const pub = await runCli(['openapi', ...flags], { cwd: root });
    expect(pub.stderr).toBe('');
    expect(pub.code).toBe(0);
    const doc = JSON.parse(pub.stdout);
    expect(await openApiProblems(doc)).toEqual([]);
    expect(doc.paths['/api/collections/notes/records'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/NotesCreate',
    });
    expect(doc.paths).not.toHaveProperty('/api/collections/vault/records');
    expect(doc.paths['/ping'].get.responses['200'].content['application/json'].schema).toMatchObject({
      type: 'object',
      properties: { pong: { type: 'boolean' } },
    });
    const all = JSON.parse((await runCli(['openapi', '--audience=superuser', ...flags], { cwd: root })).stdout);
    expect(all.paths).toHaveProperty('/api/collections/vault/records');
  });

  it('refuses an unknown audience in one line', async () => {
    const { root, flags } = project();
    const res = await runCli(['openapi', '--audience=everyone', ...flags], { cwd: root });
    expect(res.code).toBe(1);
    expect(res.stderr.trim()).toBe('satchel: --audience must be public or superuser (got "everyone")');
  });
});

describe('satchel typegen', () => {
  it('prints TypeScript types for each collection', async () => {
    const { root, flags } = project();
    const res = await runCli(['typegen', `--dir=${join(root, 'pb_data')}`, flags[1]!], { cwd: root });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('export interface NotesRecord {');
    expect(res.stdout).toMatch(/export interface NotesCreate \{[^}]*text: string;/);
    expect(res.stdout).toContain(`collection(idOrName: "notes"): RecordService<NotesRecord>;`);
    expect(res.stdout).not.toContain('VaultRecord');
  });
});
