// `migrateDatabase` between two SQLite databases: everything a user sees comes over, verified; what is refused
// changes nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import PocketBase from 'pocketbase';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../src/core/migrate-db/migrate-db.js';
import { appOn, everything, memberSignIn, sourceProject, type SourceProject } from '../helpers/migrate-project.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function project(): Promise<SourceProject> {
  const source = await sourceProject();
  cleanups.push(source.cleanup);
  return source;
}

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'satchel-migrate-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Serves the migrated data directory with the project's files. */
async function serveTarget(dataDir: string, collectionsDir: string) {
  const app = await appOn(dataDir, collectionsDir);
  const server = await app.listen({ port: 0 });
  cleanups.push(async () => {
    await server.close();
    await app.close();
  });
  return { app, url: server.url };
}

describe('migrate-db, SQLite to SQLite', () => {
  it('copies every record, superuser, password, token secret and sequence of a running project, verified', async () => {
    const source = await project();
    const target = join(scratchDir(), 'pb_data');
    const result = await migrateDatabase({
      from: join(source.dirs.dataDir, 'data.db'),
      to: join(target, 'data.db'),
      collectionsDir: source.dirs.collectionsDir,
    });
    expect(result.ok).toBe(true);
    const byTable = Object.fromEntries(result.tables.map((t) => [t.table, t]));
    expect(byTable.posts).toMatchObject({ sourceRows: 3, targetRows: 3 });
    expect(byTable.members).toMatchObject({ sourceRows: 3, targetRows: 3 });
    expect(byTable._superusers).toMatchObject({ sourceRows: 1, targetRows: 1 });
    expect(byTable._sequences).toMatchObject({ sourceRows: 1, targetRows: 1 });
    for (const t of result.tables) expect(t.targetChecksum).toBe(t.sourceChecksum);
    expect(result.text).toMatch(/^table\s+source rows\s+target rows/);
    expect(result.text).toMatch(/posts\s+3\s+3\s+\w+\s+\w+\s+ok/);

    const { app, url } = await serveTarget(target, source.dirs.collectionsDir);
    // The same records, field for field, as a superuser sees them through the API.
    const seen = await everything(url);
    expect(seen.posts).toHaveLength(3);
    expect(seen).toEqual(await everything(source.server.url));
    // Passwords still sign in; a token the source issued is still valid (secrets and tokenKeys came along).
    const signedIn = await memberSignIn(url, 'bob');
    expect(signedIn.record.id).toBe(source.memberIds[1]);
    const pb = new PocketBase(url).autoCancellation(false);
    pb.authStore.save(source.memberToken, null);
    expect((await pb.collection('members').authRefresh()).record.username).toBe('ann');
    await expect(
      new PocketBase(url).collection('members').authWithPassword('bob', 'wrong-password'),
    ).rejects.toMatchObject({ status: 400 });
    // The counter goes on from where the source left it.
    expect(await app.engine.sequences.next('invoice')).toBe(3);
  });

  it('refuses a target that holds data, and with --force replaces it', async () => {
    const source = await project();
    const target = join(scratchDir(), 'pb_data');
    const options = {
      from: join(source.dirs.dataDir, 'data.db'),
      to: join(target, 'data.db'),
      collectionsDir: source.dirs.collectionsDir,
    };
    expect((await migrateDatabase(options)).ok).toBe(true);
    await source.pb.collection('posts').create({ title: 'written after the first copy' });
    await expect(migrateDatabase(options)).rejects.toThrow(
      /data\.db is not empty \(rows in .*members, posts.*--force to replace its data/,
    );
    const result = await migrateDatabase({ ...options, force: true });
    expect(result.ok).toBe(true);
    expect(result.tables.find((t) => t.table === 'posts')).toMatchObject({ sourceRows: 4, targetRows: 4 });
    const db = new Database(join(target, 'data.db'), { readonly: true });
    cleanups.push(() => void db.close());
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 4 });
  });

  it('refuses a source that is missing or is not a Satchel database, creating nothing', async () => {
    const dir = scratchDir();
    const collectionsDir = join(dir, 'collections');
    const to = join(dir, 'target', 'data.db');
    await expect(migrateDatabase({ from: join(dir, 'nothing', 'data.db'), to, collectionsDir })).rejects.toThrow(
      /--from: there is no database at .*nothing.data\.db/,
    );
    writeFileSync(join(dir, 'data.db'), 'not a database at all');
    await expect(migrateDatabase({ from: join(dir, 'data.db'), to, collectionsDir })).rejects.toThrow(
      /cannot be read as a database/,
    );
    // A PocketBase database has _collections too, but not Satchel's definitions.
    rmSync(join(dir, 'data.db'));
    const other = new Database(join(dir, 'data.db'));
    other.exec('CREATE TABLE _collections (id TEXT PRIMARY KEY, name TEXT, fields JSON)');
    other.close();
    await expect(migrateDatabase({ from: dir, to, collectionsDir })).rejects.toThrow(/is not a Satchel database/);
    await expect(migrateDatabase({ from: join(dir, 'x.sqlite'), to, collectionsDir })).rejects.toThrow(
      /--from: .*given as its data\.db file or the data directory/,
    );
    await expect(migrateDatabase({ from: 'mysql://h/db', to, collectionsDir })).rejects.toThrow(
      /--from: mysql:\/\/h\/db: not a database Satchel knows/,
    );
    expect(existsSync(join(dir, 'target'))).toBe(false);
  });

  it('refuses collection files that do not describe the source tables, listing each difference', async () => {
    const source = await project();
    const file = join(source.dirs.collectionsDir, 'posts.json');
    const posts = JSON.parse(readFileSync(file, 'utf8')) as { fields: { name: string }[] };
    posts.fields = [...posts.fields.filter((f) => f.name !== 'views'), { name: 'extra', type: 'text' } as never];
    writeFileSync(file, JSON.stringify(posts));
    const to = join(scratchDir(), 'data.db');
    const failure = migrateDatabase({ from: source.dirs.dataDir, to, collectionsDir: source.dirs.collectionsDir });
    await expect(failure).rejects.toThrow(/posts\.extra is not in the source database/);
    await expect(failure).rejects.toThrow(/posts\.views is in the source database but not in the collection file/);
    expect(existsSync(to)).toBe(false);
  });

  it('names the table and row the target refuses, and rolls the whole copy back', async () => {
    const source = await project();
    const target = join(scratchDir(), 'pb_data');
    const options = { from: source.dirs.dataDir, to: target, collectionsDir: source.dirs.collectionsDir };
    expect((await migrateDatabase(options)).ok).toBe(true);
    const db = new Database(join(target, 'data.db'));
    cleanups.push(() => void db.close());
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON posts WHEN NEW.title = 'negative'
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`);
    await source.app.auth.upsertSuperuser('second@example.com', 'password123');
    await expect(migrateDatabase({ ...options, force: true })).rejects.toThrow(
      new RegExp(`rolled back.*: table posts, row ${source.postIds[2]}: a constraint refused the write`),
    );
    // The first copy is all there is: the second one's superuser and its emptied tables were rolled back.
    expect(db.prepare('SELECT COUNT(*) AS n FROM _superusers').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM posts').get()).toEqual({ n: 3 });
  });

  it('reports a table whose copy does not match its source, rolls back and is not ok', async () => {
    const source = await project();
    const target = join(scratchDir(), 'pb_data');
    const options = { from: source.dirs.dataDir, to: target, collectionsDir: source.dirs.collectionsDir };
    expect((await migrateDatabase(options)).ok).toBe(true);
    const db = new Database(join(target, 'data.db'));
    cleanups.push(() => void db.close());
    // A target that changes what it is given: the checksum must see it.
    db.exec(
      `CREATE TRIGGER alter_title AFTER INSERT ON posts BEGIN UPDATE posts SET title = 'changed' WHERE id = NEW.id; END`,
    );
    db.exec(`DELETE FROM members WHERE username = 'cyd'`);
    const result = await migrateDatabase({ ...options, force: true });
    expect(result.ok).toBe(false);
    const posts = result.tables.find((t) => t.table === 'posts')!;
    expect(posts).toMatchObject({ sourceRows: 3, targetRows: 3 });
    expect(posts.targetChecksum).not.toBe(posts.sourceChecksum);
    expect(result.text).toMatch(/posts\s+3\s+3\s+\w+\s+\w+\s+MISMATCH/);
    expect(result.text).toMatch(/members\s+3\s+3\s+\w+\s+\w+\s+ok/);
    expect(result.text).toMatch(/1 of \d+ tables do not match/);
    // Rolled back: the deleted member is still missing, the titles are the first copy's.
    expect(db.prepare('SELECT COUNT(*) AS n FROM members').get()).toEqual({ n: 2 });
    expect(db.prepare(`SELECT COUNT(*) AS n FROM posts WHERE title = 'changed'`).get()).toEqual({ n: 0 });
  });

  it('copies a consistent moment of a source that keeps being written to', async () => {
    const source = await project();
    let writing = true;
    let written = 0;
    const writer = (async () => {
      // Bounded: stops when the copy is done, or after 2,000 writes.
      while (writing && written < 2000) {
        await source.pb.collection('posts').create({ title: `busy ${written}`, views: written });
        written++;
      }
    })();
    const target = join(scratchDir(), 'pb_data');
    const result = await migrateDatabase({
      from: source.dirs.dataDir,
      to: target,
      collectionsDir: source.dirs.collectionsDir,
    });
    writing = false;
    await writer;
    expect(written).toBeGreaterThan(0);
    expect(result.ok).toBe(true);
    const posts = result.tables.find((t) => t.table === 'posts')!;
    expect(posts.sourceRows).toBe(posts.targetRows);
    expect(posts.sourceRows).toBeGreaterThanOrEqual(3);
    const { url } = await serveTarget(target, source.dirs.collectionsDir);
    const list = await new PocketBase(url).collection('posts').getList(1, 1);
    expect(list.totalItems).toBe(posts.sourceRows);
  });

  it('copies the request and app logs with --with-logs', async () => {
    const source = await project();
    source.app.engine.logger.info('hello from the source', { n: 1, nested: { a: [true] } });
    await source.app.engine.logs.flush();
    const target = join(scratchDir(), 'pb_data');
    const options = { from: source.dirs.dataDir, to: target, collectionsDir: source.dirs.collectionsDir };
    const result = await migrateDatabase({ ...options, withLogs: true });
    expect(result.ok).toBe(true);
    const logs = result.tables.find((t) => t.table === '_logs')!;
    expect(logs.sourceRows).toBeGreaterThanOrEqual(1);
    expect(logs.targetRows).toBe(logs.sourceRows);
    const { app } = await serveTarget(target, source.dirs.collectionsDir);
    const listed = await app.engine.logs.list({ filter: `message = 'hello from the source'` });
    expect(JSON.stringify(listed)).toContain('"nested":{"a":[true]}');
  });
});
