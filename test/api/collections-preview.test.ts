// `?preview=true` on the collections API: what a schema change would do to the stored data and to the files,
// answered before it is applied (the dashboard's review step); checked like the change itself, and nothing changes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app.js';
import { sdkApp } from '../helpers/sdk-app.js';
import { OPEN_RULES, type TempDirs } from '../helpers/temp-app.js';
import type PocketBase from 'pocketbase';

const POSTS = {
  name: 'posts',
  ...OPEN_RULES,
  fields: [
    { id: 'f_title', name: 'title', type: 'text' },
    { id: 'f_views', name: 'views', type: 'number' },
    { id: 'f_notes', name: 'notes', type: 'text' },
    { id: 'f_flag', name: 'flag', type: 'text' },
  ],
};

let dirs: TempDirs;
let server: RunningServer;
let pb: PocketBase;
let done: () => Promise<void>;
let token: string;

beforeAll(async () => {
  ({ dirs, server, pb, cleanup: done } = await sdkApp([POSTS], { rateLimit: false }));
  token = pb.authStore.token;
  // Three records: two with notes, none with a flag.
  for (const notes of ['a', 'b', '']) await pb.collection('posts').create({ title: 't', views: 1, notes });
});
afterAll(() => done());

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: token, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as any };
}

const fileText = () => readFileSync(join(dirs.collectionsDir, 'posts.json'), 'utf8');
const current = async () => (await call('GET', '/api/collections/posts')).json;

describe('schema change preview', () => {
  it('says what an update does to the data and the file, and changes nothing', async () => {
    const before = await current();
    const fileBefore = fileText();
    const fields = before.fields
      .filter((f: any) => f.name !== 'notes' && f.name !== 'flag')
      .map((f: any) =>
        f.name === 'title' ? { ...f, name: 'headline' } : f.name === 'views' ? { ...f, type: 'text' } : f,
      );
    fields.push({ name: 'summary', type: 'text' });
    const { status, json } = await call('PATCH', '/api/collections/posts?preview=true', {
      name: 'articles',
      fields,
      listRule: null,
    });
    expect(status).toBe(200);
    const steps = json.plan.map((s: any) => `${s.action} ${s.field ?? ''} ${s.valuesLost ?? ''}`.trim());
    expect(steps).toEqual(
      expect.arrayContaining([
        'rename-table',
        'drop-column notes 2',
        'drop-column flag 0',
        'rebuild-table',
        'rename-column headline',
        'add-column summary',
        'rules',
      ]),
    );
    expect(json.plan.find((s: any) => s.field === 'notes').text).toContain('2 record(s)');
    expect(json.collection).toMatchObject({ name: 'articles', listRule: null });
    expect(json.files).toEqual([
      { path: join(dirs.collectionsDir, 'articles.json'), action: 'write' },
      { path: join(dirs.collectionsDir, 'posts.json'), action: 'delete' },
    ]);
    // Nothing happened: the collection, its records and values, and the file are as they were.
    expect(await current()).toEqual(before);
    expect(fileText()).toBe(fileBefore);
    const list = await pb.collection('posts').getFullList({ sort: 'notes' });
    expect(list.map((r) => r.notes)).toEqual(['', 'a', 'b']);
    expect((await call('GET', '/api/collections/articles')).status).toBe(404);
    // And the change itself still applies afterwards.
    expect(
      (await call('PATCH', '/api/collections/posts', { fields: [...before.fields, { name: 'x', type: 'text' }] }))
        .status,
    ).toBe(200);
  });

  it('a change that would be refused is refused by the preview, with the same 400', async () => {
    const bad = {
      fields: [
        { name: 'title', type: 'text' },
        { name: 'title', type: 'text' },
      ],
    };
    const preview = await call('PATCH', '/api/collections/posts?preview=true', bad);
    const real = await call('PATCH', '/api/collections/posts', bad);
    expect(preview.status).toBe(400);
    expect(preview.json).toEqual(real.json);
    const badRule = await call('PATCH', '/api/collections/posts?preview=1', { listRule: 'nope = 1' });
    expect(badRule.status).toBe(400);
    expect(badRule.json.data.listRule.code).toBe('validation_invalid_rule');
  });

  it('previews a create and a delete', async () => {
    const created = await call('POST', '/api/collections?preview=true', {
      name: 'tags',
      fields: [{ name: 'label', type: 'text' }],
    });
    expect(created.status).toBe(200);
    expect(created.json.plan).toEqual([expect.objectContaining({ action: 'create-table', collection: 'tags' })]);
    expect(created.json.files).toEqual([{ path: join(dirs.collectionsDir, 'tags.json'), action: 'write' }]);
    expect((await call('GET', '/api/collections/tags')).status).toBe(404);

    const removed = await call('DELETE', '/api/collections/posts?preview=true');
    expect(removed.status).toBe(200);
    expect(removed.json.plan).toEqual([
      expect.objectContaining({ action: 'drop-table', collection: 'posts', valuesLost: 3 }),
    ]);
    expect(removed.json.collection).toBeNull();
    expect((await pb.collection('posts').getList(1, 1)).totalItems).toBe(3);
  });

  it('is for superusers only', async () => {
    const res = await fetch(`${server.url}/api/collections/posts?preview=true`, { method: 'DELETE' });
    expect(res.status).toBe(401);
    expect((await call('GET', '/api/collections/posts')).status).toBe(200);
  });
});
