// A project with data in most field types, auth users with passwords, a superuser, relations, a file, sequences
// and sign-in state: the source of the database migration tests, and what they compare the target with.
import PocketBase from 'pocketbase';
import { createApp, type SatchelApp } from '../../src/app.js';
import { memberCollection } from './auth.js';
import { sdkApp, type SdkApp } from './sdk-app.js';
import { OPEN_RULES } from './temp-app.js';

export const MEMBER_PASSWORD = 'member-pass-123';
export const SUPERUSER = { email: 'root@example.com', password: 'password123' };

export const PROJECT_COLLECTIONS = [
  memberCollection('members', { fields: [{ name: 'username', type: 'text', min: 3, max: 150 }] }),
  {
    name: 'posts',
    ...OPEN_RULES,
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'views', type: 'number' },
      { name: 'ratio', type: 'number' },
      { name: 'published', type: 'bool' },
      { name: 'meta', type: 'json' },
      { name: 'when', type: 'date' },
      { name: 'site', type: 'url' },
      { name: 'contact', type: 'email' },
      { name: 'body', type: 'editor' },
      { name: 'tags', type: 'select', values: ['a', 'b', 'c'], maxSelect: 3 },
      { name: 'kind', type: 'select', values: ['news', 'note'], maxSelect: 1 },
      { name: 'author', type: 'relation', collectionId: 'members', maxSelect: 1 },
      { name: 'readers', type: 'relation', collectionId: 'members', maxSelect: 5 },
      { name: 'cover', type: 'file', maxSelect: 1, maxSize: 1000000 },
      { name: 'spot', type: 'geoPoint' },
      { name: 'created', type: 'autodate', onCreate: true, onUpdate: false },
      { name: 'updated', type: 'autodate', onCreate: true, onUpdate: true },
    ],
  },
];

export interface SourceProject extends SdkApp {
  memberIds: string[];
  postIds: string[];
  /** A member's token issued by the source, which the target must accept. */
  memberToken: string;
}

/** Starts a source project over temp directories and fills it through the SDK. */
export async function sourceProject(): Promise<SourceProject> {
  // SQLite whatever SATCHEL_TEST_DB says: the tests name the databases they copy between.
  const source = await sdkApp(PROJECT_COLLECTIONS, { rateLimit: false, db: 'sqlite' });
  await source.app.auth.upsertSuperuser(SUPERUSER.email, SUPERUSER.password);
  const { pb } = source;
  const memberIds: string[] = [];
  for (const name of ['ann', 'bob', 'cyd']) {
    const member = await pb.collection('members').create({
      username: name,
      email: `${name}@example.com`,
      emailVisibility: name !== 'bob',
      password: MEMBER_PASSWORD,
      passwordConfirm: MEMBER_PASSWORD,
    });
    memberIds.push(member.id);
  }
  const postIds: string[] = [];
  const post = await pb.collection('posts').create({
    title: 'First "quoted" post, ünïcode ✓',
    views: 42,
    ratio: 0.125,
    published: true,
    meta: { b: [1, 2, { c: null }], a: 'x', nested: { z: true, y: 1.5 } },
    when: '2024-02-29 23:59:59.123Z',
    site: 'https://example.com/a?b=c',
    contact: 'someone@example.com',
    body: '<p>Hello <b>world</b></p>',
    tags: ['c', 'a'],
    kind: 'news',
    author: memberIds[0],
    readers: [memberIds[1], memberIds[2]],
    cover: new File([new Uint8Array([137, 80, 78, 71, 1, 2, 3])], 'cover.png', { type: 'image/png' }),
    spot: { lon: 12.5, lat: -41.25 },
  });
  postIds.push(post.id);
  // Empty values of every type: zeros, false, nulls and empty lists must come back as themselves.
  postIds.push((await pb.collection('posts').create({ title: 'empty' })).id);
  postIds.push((await pb.collection('posts').create({ title: 'negative', views: -7, meta: [1, 'two'] })).id);
  await source.app.engine.sequences.next('invoice');
  await source.app.engine.sequences.next('invoice');
  const memberToken = (await memberSignIn(source.server.url, 'ann')).token;
  return { ...source, memberIds, postIds, memberToken };
}

export async function memberSignIn(url: string, username: string) {
  const pb = new PocketBase(url).autoCancellation(false);
  return pb.collection('members').authWithPassword(username, MEMBER_PASSWORD);
}

/** Everything a superuser lists through the API, collection by collection, to compare two servers. */
export async function everything(url: string): Promise<Record<string, unknown[]>> {
  const pb = new PocketBase(url).autoCancellation(false);
  await pb.collection('_superusers').authWithPassword(SUPERUSER.email, SUPERUSER.password);
  const out: Record<string, unknown[]> = {};
  for (const name of ['members', 'posts', '_superusers']) {
    out[name] = await pb.collection(name).getFullList({ sort: 'id', expand: name === 'posts' ? 'author' : '' });
  }
  return out;
}

/** An app over the migrated database with the project's collection files (as `serve` would start). */
export async function appOn(dataDir: string, collectionsDir: string, db?: string): Promise<SatchelApp> {
  return createApp({ dataDir, collectionsDir, db, rateLimit: false });
}
