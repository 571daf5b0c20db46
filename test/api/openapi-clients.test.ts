// Clients made from Satchel's reference: openapi-typescript types + openapi-fetch against the running server (a
// create and a list), and `satchel typegen` types used with the official SDK, both checked by tsc.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { typegen } from '../../src/core/openapi/typegen.js';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';

const ROOT = join(import.meta.dirname, '..', '..');
const shipped = (name: string) => JSON.parse(readFileSync(join(ROOT, 'collections', `${name}.json`), 'utf8'));
// Inside the repository (git ignores test/.tmp), so `pocketbase` and `openapi-fetch` resolve from node_modules.
const PROJECT = join(ROOT, 'test', '.tmp', `clients-${process.pid}`);
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

let t: SdkApp;

beforeAll(async () => {
  t = await sdkApp([shipped('users'), shipped('posts')]);
  mkdirSync(PROJECT, { recursive: true });
  writeFileSync(
    join(PROJECT, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        skipLibCheck: true,
        types: [],
        lib: ['ES2022', 'DOM'],
      },
      include: ['*.ts'],
    }),
  );
  writeFileSync(join(PROJECT, 'package.json'), '{"type":"module"}');
});
afterAll(async () => {
  await t?.cleanup();
  rmSync(PROJECT, { recursive: true, force: true });
});

/** tsc over the test project: its diagnostics, empty when everything type-checks. */
async function typecheck(): Promise<string> {
  try {
    await promisify(execFile)(process.execPath, [TSC, '-p', PROJECT], { timeout: 60_000 });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

it('openapi-typescript types and openapi-fetch create and list posts on the running server', async () => {
  const doc = (await (await fetch(`${t.server.url}/api/openapi.json`)).json()) as Parameters<typeof openapiTS>[0];
  writeFileSync(join(PROJECT, 'api.d.ts'), astToString(await openapiTS(doc)));
  writeFileSync(
    join(PROJECT, 'fetch-client.ts'),
    `import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export async function run(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  const created = await client.POST('/api/collections/posts/records', {
    body: { title: 'Typed hello', views: 3, tags: ['news'] },
  });
  const title: string | undefined = created.data?.title;
  const list = await client.GET('/api/collections/posts/records', {
    params: { query: { filter: 'views >= 3', sort: '-created', perPage: 10 } },
  });
  const titles: string[] = (list.data?.items ?? []).map((post) => post.title);
  return { createdStatus: created.response.status, title, listStatus: list.response.status, titles };
}

// A body the schema refuses does not compile: tags take only the select's values.
export async function refused(baseUrl: string) {
  const client = createClient<paths>({ baseUrl });
  // @ts-expect-error "nope" is not one of the select's values
  await client.POST('/api/collections/posts/records', { body: { title: 'x', tags: ['nope'] } });
}
`,
  );
  expect(await typecheck()).toBe('');
  const { run } = await import(join(PROJECT, 'fetch-client.ts'));
  const result = await run(t.server.url);
  expect(result).toEqual({ createdStatus: 200, title: 'Typed hello', listStatus: 200, titles: ['Typed hello'] });
});

it('typegen output type-checks with the official SDK and its generics', async () => {
  writeFileSync(join(PROJECT, 'satchel-types.ts'), typegen(t.app.engine.collections.all(), 'public'));
  writeFileSync(
    join(PROJECT, 'sdk-client.ts'),
    `import PocketBase from 'pocketbase';
import type { PostsCreate, PostsRecord, PostsUpdate, TypedPocketBase, UsersCreate } from './satchel-types.js';

export async function run(baseUrl: string) {
  const pb = new PocketBase(baseUrl) as TypedPocketBase;
  const body: PostsCreate = { title: 'From the SDK', tags: ['howto'], views: 1 };
  const post = await pb.collection<PostsRecord>('posts').create<PostsRecord>(body);
  const change: PostsUpdate = { 'views+': 2 };
  const updated = await pb.collection('posts').update(post.id, change);
  const views: number = updated.views;
  const page = await pb.collection('posts').getList(1, 20, { expand: 'author' });
  const author = page.items[0]?.expand?.author?.username;
  const signUp: UsersCreate = { email: 'typed@example.com', password: 'password123', passwordConfirm: 'password123' };
  return { views, author, signUp, tags: post.tags };
}

export function mistakes(post: PostsRecord) {
  // @ts-expect-error title is text
  const n: number = post.title;
  // @ts-expect-error not one of the select's values
  const bad: PostsCreate = { title: 'x', tags: ['nope'] };
  // @ts-expect-error a create needs its required title
  const missing: PostsCreate = {};
  return [n, bad, missing];
}
`,
  );
  expect(await typecheck()).toBe('');
  const { run } = await import(join(PROJECT, 'sdk-client.ts'));
  const result = await run(t.server.url);
  expect(result.views).toBe(3);
  expect(result.tags).toEqual(['howto']);
});
