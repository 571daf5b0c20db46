// `satchel import-pocketbase` through the real CLI, on a PocketBase data directory built in the test, then the
// imported project served by `satchel serve` and driven with the official SDK.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SignJWT } from 'jose';
import PocketBase from 'pocketbase';
import { afterAll, describe, expect, it } from 'vitest';
import { nextMail } from '../helpers/auth.js';
import { PB, writePocketBaseDir } from '../helpers/pocketbase-data.js';
import { cleanup, makeTempDir, runCli, startServer } from './helpers/server.js';

afterAll(cleanup);

/** A PocketBase project folder and an empty target folder. */
function folders(options: { unsupportedField?: boolean } = {}) {
  const source = writePocketBaseDir(makeTempDir('pb-project-'), options);
  const target = makeTempDir('satchel-import-');
  const dataDir = join(target, 'pb_data');
  const collectionsDir = join(target, 'collections');
  return { source, target, dataDir, collectionsDir, flags: [`--dir=${dataDir}`, `--collections=${collectionsDir}`] };
}

function storedPassword(dataDir: string, table: string, id: string): string {
  const db = new Database(join(dataDir, 'data.db'), { readonly: true });
  try {
    return (db.prepare(`SELECT password FROM "${table}" WHERE id = ?`).get(id) as { password: string }).password;
  } finally {
    db.close();
  }
}

describe('satchel import-pocketbase', () => {
  it('imports collections, records, hashes, token secrets and files, served as PocketBase served them', async () => {
    const { source, target, dataDir, collectionsDir, flags } = folders({ unsupportedField: true });
    const run = await runCli(['import-pocketbase', source, ...flags], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('- posts (base): 1 record');
    expect(run.stdout).toContain('- users (auth): 1 record');
    expect(run.stdout).toContain('- _superusers (auth): 1 record');
    expect(run.stdout).toContain('- post_titles (view)');
    expect(run.stdout).toContain('- 1 file from storage/');
    // What could not be carried is named, not dropped silently.
    expect(run.stdout).toMatch(/posts\.embedding: field type "vector" does not exist in Satchel/);
    expect(run.stdout).toContain('the values of embedding in 1 records were not carried');
    expect(run.stdout).toContain('pb_hooks (main.pb.js)');
    expect(run.stdout).toContain('1 OAuth2 account links (_externalAuths)');
    expect(run.stdout).toContain("PocketBase's settings");
    expect(readFileSync(join(target, 'import-report.md'), 'utf8')).toContain('posts.embedding');
    expect(readdirSync(collectionsDir).sort()).toEqual([
      '_superusers.json',
      'post_titles.json',
      'posts.json',
      'users.json',
    ]);
    const users = JSON.parse(readFileSync(join(collectionsDir, 'users.json'), 'utf8')) as Record<string, unknown>;
    expect(users).toMatchObject({ id: PB.usersId, type: 'auth', viewRule: 'id = @request.auth.id' });
    // Secrets stay out of the files, which live in git.
    expect(JSON.stringify(users)).not.toContain(PB.usersAuthSecret);
    expect(JSON.parse(readFileSync(join(collectionsDir, 'post_titles.json'), 'utf8'))).toMatchObject({
      type: 'view',
      viewQuery: 'SELECT id, title FROM posts',
    });

    const server = await startServer({ dataDir, collectionsDir });
    try {
      const pb = new PocketBase(server.url);
      // The bcrypt hash from PocketBase signs in, and is upgraded to argon2id.
      expect(storedPassword(dataDir, 'users', PB.userId)).toMatch(/^\$2[aby]\$/);
      const auth = await pb.collection('users').authWithPassword(PB.userEmail, PB.userPassword);
      // (The rehash is a write: `updated` moves on, as after any change of the record.)
      expect(auth.record).toMatchObject({ id: PB.userId, name: 'Ada', created: PB.created });
      expect(storedPassword(dataDir, 'users', PB.userId)).toMatch(/^\$argon2id\$/);
      // The sign-in origin carried from PocketBase makes this one a new device: the alert goes out as it would have.
      expect((await nextMail(dataDir, 0)).to).toContain(PB.userEmail);

      const list = await pb.collection('posts').getList(1, 10, { expand: 'author' });
      expect(list.totalItems).toBe(1);
      const post = list.items[0]!;
      expect(post).toMatchObject({
        id: PB.postId,
        title: 'Hello',
        views: 42,
        tags: ['go', 'sql'],
        author: PB.userId,
        attachment: PB.fileName,
        meta: { draft: false, n: [1, 2] },
        published: '2024-04-30 08:00:00.000Z',
        created: PB.created,
        updated: PB.updated,
      });
      expect(post).not.toHaveProperty('embedding');
      expect(post.expand?.author).toMatchObject({ id: PB.userId, email: PB.userEmail });
      const viewed = await pb.collection('posts').getOne(PB.postId);
      expect(viewed.title).toBe('Hello');
      const titles = await pb.collection('post_titles').getFullList();
      expect(titles).toEqual([expect.objectContaining({ id: PB.postId, title: 'Hello' })]);

      const file = await fetch(pb.files.getURL(post, PB.fileName));
      expect(file.status).toBe(200);
      expect(await file.text()).toBe(PB.fileText);

      // A token PocketBase issued (HS256, the record's tokenKey + the collection's secret) is still accepted.
      const pbToken = await new SignJWT({ id: PB.userId, type: 'auth', collectionId: PB.usersId, refreshable: true })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(PB.userTokenKey + PB.usersAuthSecret));
      const old = new PocketBase(server.url);
      old.authStore.save(pbToken, null);
      const refreshed = await old.collection('users').authRefresh();
      expect(refreshed.record.id).toBe(PB.userId);

      const root = new PocketBase(server.url);
      const su = await root.collection('_superusers').authWithPassword(PB.superuserEmail, PB.superuserPassword);
      expect(su.record.id).toBe(PB.superuserId);
      expect(storedPassword(dataDir, '_superusers', PB.superuserId)).toMatch(/^\$argon2id\$/);
      // Superusers see every record, the user's hidden e-mail fields included.
      const all = await root.collection('users').getFullList();
      expect(all.map((u) => u.email)).toEqual([PB.userEmail]);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('a dry run prints the report and writes nothing', async () => {
    const { source, target, dataDir, collectionsDir, flags } = folders({ unsupportedField: true });
    const run = await runCli(['import-pocketbase', source, ...flags, '--dry-run'], { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('dry run: nothing was written');
    expect(run.stdout).toContain('- posts (base): 1 record');
    expect(run.stdout).toMatch(/posts\.embedding: field type "vector"/);
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(collectionsDir)).toBe(false);
    expect(readdirSync(target)).toEqual([]);
  }, 60_000);

  it('refuses a target that is not empty, and a folder that is not PocketBase data', async () => {
    const { source, collectionsDir, dataDir, flags } = folders();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(collectionsDir);
    writeFileSync(join(collectionsDir, 'notes.json'), '{"name":"notes"}');
    const refused = await runCli(['import-pocketbase', source, ...flags]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was imported');
    expect(refused.stderr).toContain('is not empty');
    expect(existsSync(dataDir)).toBe(false);
    expect(readFileSync(join(collectionsDir, 'notes.json'), 'utf8')).toBe('{"name":"notes"}');

    const notPb = await runCli(['import-pocketbase', makeTempDir('empty-'), `--dir=${join(makeTempDir(), 'd')}`]);
    expect(notPb.code).toBe(1);
    expect(notPb.stderr).toContain('has no data.db');
  });

  it('is in the help, with its own usage', async () => {
    const help = await runCli(['--help']);
    expect(help.stdout).toMatch(/^ {2}import-pocketbase {2}make a Satchel project from a PocketBase pb_data folder/m);
    const own = await runCli(['import-pocketbase', '--help']);
    expect(own.stdout).toContain('Usage: satchel import-pocketbase PATH/TO/pb_data');
    const stray = await runCli(['import-pocketbase', 'x', '--http=127.0.0.1:1']);
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain('flag --http does not apply to import-pocketbase');
  });
});
