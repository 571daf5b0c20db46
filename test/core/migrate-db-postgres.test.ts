// `migrateDatabase` across engines: SQLite -> PostgreSQL -> SQLite. The checksums of each table agree across the
// three databases, the PostgreSQL copy serves the records and passwords, and the project that comes back is the
// project that left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import PocketBase from 'pocketbase';
import { afterEach, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/core/migrate-db/migrate-db.js';
import { appOn, everything, memberSignIn, sourceProject } from '../helpers/migrate-project.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'satchel-migrate-pg-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Serves a migrated database with the project's files; stopped after the test (or by `stop`). */
async function serve(dataDir: string, collectionsDir: string, db?: string) {
  const app = await appOn(dataDir, collectionsDir, db);
  const server = await app.listen({ port: 0 });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await server.close();
    await app.close();
  };
  cleanups.push(stop);
  return { app, url: server.url, stop };
}

const checksums = (tables: { table: string; sourceChecksum: string; targetChecksum: string }[]) =>
  Object.fromEntries(tables.map((t) => [t.table, t.targetChecksum]));

describePostgres('migrate-db, SQLite -> PostgreSQL -> SQLite', () => {
  it('carries the whole project over and back, with the same checksums on all three databases', async () => {
    const source = await sourceProject();
    cleanups.push(source.cleanup);
    // Created in the reverse of their ids' order: the copies must keep the order of creation, not the ids'.
    await source.pb.collection('posts').create({ id: 'zzzzzzzzzzzzzz1', title: 'late in the alphabet' });
    await source.pb.collection('posts').create({ id: 'aaaaaaaaaaaaaa1', title: 'early in the alphabet' });
    const url = await freshDatabase('migrate');
    const collectionsDir = source.dirs.collectionsDir;

    const there = await migrateDatabase({ from: source.dirs.dataDir, to: url, collectionsDir });
    expect(there.ok, there.text).toBe(true);
    expect(there.tables.find((t) => t.table === 'posts')).toMatchObject({ sourceRows: 5, targetRows: 5 });

    // Served from PostgreSQL: the same records through the API, passwords sign in, issued tokens hold.
    const onPostgres = await serve(scratchDir(), collectionsDir, url);
    expect(await everything(onPostgres.url)).toEqual(await everything(source.server.url));
    expect((await memberSignIn(onPostgres.url, 'bob')).record.id).toBe(source.memberIds[1]);
    await expect(
      new PocketBase(onPostgres.url).collection('members').authWithPassword('bob', 'not-it'),
    ).rejects.toMatchObject({ status: 400 });
    const pb = new PocketBase(onPostgres.url).autoCancellation(false);
    pb.authStore.save(source.memberToken, null);
    expect((await pb.collection('members').authRefresh()).record.username).toBe('ann');
    expect(await onPostgres.app.engine.sequences.current('invoice')).toBe(2);
    // The stored forms PostgreSQL gives back, read by the engine as the SQLite ones were.
    const posts = onPostgres.app.engine.collections.find('posts')!;
    expect(await onPostgres.app.engine.records.storedById(posts, source.postIds[1]!)).toMatchObject({
      published: false,
      views: 0,
      meta: null,
      tags: [],
      author: '',
    });
    await onPostgres.stop();

    const back = join(scratchDir(), 'pb_data');
    const returned = await migrateDatabase({ from: url, to: back, collectionsDir });
    expect(returned.ok, returned.text).toBe(true);
    // What PostgreSQL holds checksums as SQLite's copy did, and the copy back as both.
    const sqliteSums = checksums(there.tables);
    for (const t of returned.tables) {
      // (The sign-ins on PostgreSQL above added a sign-in origin and a token secret.)
      if (t.table === '_params' || t.table === '_authOrigins') continue;
      expect(t.sourceChecksum, t.table).toBe(sqliteSums[t.table]);
      expect(t.targetChecksum, t.table).toBe(sqliteSums[t.table]);
    }

    const server = await serve(back, collectionsDir);
    expect(await everything(server.url)).toEqual(await everything(source.server.url));
    expect((await memberSignIn(server.url, 'cyd')).record.id).toBe(source.memberIds[2]);
    // The order records were created in comes back too (a list without a sort shows it).
    const unsorted = (url: string) =>
      fetch(`${url}/api/collections/posts/records`)
        .then((r) => r.json() as Promise<{ items: { id: string }[] }>)
        .then((list) => list.items.map((p) => p.id));
    const order = await unsorted(server.url);
    expect(order.slice(-2)).toEqual(['zzzzzzzzzzzzzz1', 'aaaaaaaaaaaaaa1']);
    expect(order).toEqual(await unsorted(source.server.url));
  });

  it('refuses a PostgreSQL database that holds data, and rolls a refused copy back', async () => {
    const source = await sourceProject();
    cleanups.push(source.cleanup);
    const url = await freshDatabase('migrate');
    const options = { from: source.dirs.dataDir, to: url, collectionsDir: source.dirs.collectionsDir };
    expect((await migrateDatabase(options)).ok).toBe(true);
    await expect(migrateDatabase(options)).rejects.toThrow(/is not empty \(rows in .*posts.*--force/);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push(() => client.end());
    await client.query(`CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN
      IF NEW.title = 'negative' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await client.query('CREATE TRIGGER refuse BEFORE INSERT ON posts FOR EACH ROW EXECUTE FUNCTION refuse()');
    await source.pb.collection('posts').create({ title: 'one more' });
    await expect(migrateDatabase({ ...options, force: true })).rejects.toThrow(
      new RegExp(`rolled back .*table posts, row ${source.postIds[2]}`),
    );
    const { rows } = await client.query('SELECT COUNT(*)::int AS n FROM posts');
    expect(rows[0]).toEqual({ n: 3 });
  });

  it('copies one moment of a PostgreSQL source that keeps being written to', async () => {
    const source = await sourceProject();
    cleanups.push(source.cleanup);
    const url = await freshDatabase('migrate');
    const collectionsDir = source.dirs.collectionsDir;
    expect((await migrateDatabase({ from: source.dirs.dataDir, to: url, collectionsDir })).ok).toBe(true);
    // Another process writing to the database while it is copied.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    cleanups.push(() => client.end());
    let writing = true;
    let written = 0;
    const writer = (async () => {
      // Bounded: stops when the copy is done, or after 5,000 rows.
      while (writing && written < 5000) {
        await client.query('INSERT INTO posts (id, title) VALUES ($1, $2)', [
          `w${String(written).padStart(14, '0')}`,
          'w',
        ]);
        written++;
      }
    })();
    const result = await migrateDatabase({ from: url, to: join(scratchDir(), 'pb_data'), collectionsDir });
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(result.ok, result.text).toBe(true);
    const posts = result.tables.find((t) => t.table === 'posts')!;
    expect(posts.targetRows).toBe(posts.sourceRows);
  });

  it('says so when a PostgreSQL database cannot be reached', async () => {
    const source = await sourceProject();
    cleanups.push(source.cleanup);
    const options = { collectionsDir: source.dirs.collectionsDir };
    await expect(
      migrateDatabase({ ...options, from: source.dirs.dataDir, to: 'postgres://someone:secret@127.0.0.1:1/nothing' }),
    ).rejects.toThrow(/^--to: postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nothing cannot be reached/);
    await expect(
      migrateDatabase({ ...options, from: 'postgres://someone:secret@127.0.0.1:1/nothing', to: scratchDir() }),
    ).rejects.toThrow(/^--from: postgres:\/\/someone:\*\*\*@127\.0\.0\.1:1\/nothing cannot be reached/);
  });
});
