// The import engine without the CLI: what Satchel refuses in a PocketBase database is taken out and reported, the
// rest is carried.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { importPocketBase } from '../../src/core/import/import-pocketbase.js';
import { PB, writePocketBaseDir } from '../helpers/pocketbase-data.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A PocketBase data directory, changed by `edit` (SQL on its data.db) before the import. */
function source(edit: (db: Database.Database) => void) {
  const root = mkdtempSync(join(tmpdir(), 'pb-import-'));
  roots.push(root);
  const pbData = writePocketBaseDir(join(root, 'pb'));
  const db = new Database(join(pbData, 'data.db'));
  edit(db);
  db.close();
  return { pbData, dataDir: join(root, 'out', 'pb_data'), collectionsDir: join(root, 'out', 'collections') };
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('importPocketBase', () => {
  it('sets a rule Satchel refuses to null (superusers only) and says so; the records still come over', async () => {
    const dirs = source((db) =>
      db.prepare(`UPDATE _collections SET listRule = 'nosuch = 1' WHERE name = 'posts'`).run(),
    );
    const { report } = await importPocketBase({ source: dirs.pbData, ...dirs });
    expect(report.notCarried).toContainEqual(
      expect.stringMatching(/^posts\.listRule: Satchel refuses this rule .*set to null/),
    );
    expect(readJson(join(dirs.collectionsDir, 'posts.json'))).toMatchObject({ listRule: null, viewRule: '' });
    expect(report.collections).toContainEqual({ name: 'posts', type: 'base', records: 1 });
  });

  it('leaves out a field option Satchel does not know, keeping the field and its values', async () => {
    const dirs = source((db) => {
      const row = db.prepare(`SELECT fields FROM _collections WHERE name = 'posts'`).get() as { fields: string };
      const fields = (JSON.parse(row.fields) as Record<string, unknown>[]).map((f) =>
        f.name === 'title' ? { ...f, spellcheck: true } : f,
      );
      db.prepare(`UPDATE _collections SET fields = ? WHERE name = 'posts'`).run(JSON.stringify(fields));
    });
    const { report } = await importPocketBase({ source: dirs.pbData, ...dirs });
    expect(report.notCarried).toContainEqual(
      expect.stringMatching(/^posts\.title: option spellcheck=true is not supported/),
    );
    const title = (readJson(join(dirs.collectionsDir, 'posts.json')).fields as Record<string, unknown>[]).find(
      (f) => f.name === 'title',
    );
    expect(title).toMatchObject({ type: 'text', required: true });
    expect(title).not.toHaveProperty('spellcheck');
    const db = new Database(join(dirs.dataDir, 'data.db'), { readonly: true });
    expect(db.prepare('SELECT title FROM posts WHERE id = ?').get(PB.postId)).toEqual({ title: 'Hello' });
    db.close();
  });

  it('leaves out a view whose query Satchel cannot run, and reports it with the reason', async () => {
    const dirs = source((db) =>
      db
        .prepare(`UPDATE _collections SET options = ? WHERE name = 'post_titles'`)
        .run(JSON.stringify({ viewQuery: 'SELECT id, title FROM missing_table' })),
    );
    const { report } = await importPocketBase({ source: dirs.pbData, ...dirs });
    expect(report.notCarried).toContainEqual(expect.stringMatching(/^post_titles: Satchel refuses this collection/));
    expect(report.collections.map((c) => c.name)).not.toContain('post_titles');
    expect(report.collections).toContainEqual({ name: 'users', type: 'auth', records: 1 });
  });

  it('reports a record Satchel cannot store (an e-mail taken in another case) by id, and carries the others', async () => {
    const dirs = source((db) =>
      db
        .prepare(
          `INSERT INTO users (id, password, tokenKey, email, emailVisibility, verified, name, created, updated)
           SELECT 'u2abcdefghijklm', password, 'otherTokenKey0123456789abcdefghijklmnopqrstuvwxyz', UPPER(email), 0, 0, 'Ada again', created, updated
           FROM users`,
        )
        .run(),
    );
    const { report } = await importPocketBase({ source: dirs.pbData, ...dirs });
    expect(report.notCarried).toContainEqual(expect.stringMatching(/^users record u2abcdefghijklm: not carried \(/));
    expect(report.collections).toContainEqual({ name: 'users', type: 'auth', records: 1 });
  });

  it('a failed import leaves no half-written project behind', async () => {
    const dirs = source(() => {});
    // storage/ that is a file, not a folder: the copy fails after the database was written.
    rmSync(join(dirs.pbData, 'storage'), { recursive: true });
    writeFileSync(join(dirs.pbData, 'storage'), 'not a folder');
    await expect(importPocketBase({ source: dirs.pbData, ...dirs })).rejects.toThrow();
    expect(existsSync(dirs.dataDir)).toBe(false);
    expect(existsSync(dirs.collectionsDir)).toBe(false);
  });

  it('names the S3 bucket when PocketBase kept its files there', async () => {
    const dirs = source((db) =>
      db
        .prepare(`UPDATE _params SET value = ? WHERE id = 'settings'`)
        .run(JSON.stringify({ s3: { enabled: true, bucket: 'acme-files' } })),
    );
    const { report } = await importPocketBase({ source: dirs.pbData, ...dirs, dryRun: true });
    expect(report.notCarried).toContainEqual(expect.stringContaining('S3 bucket "acme-files"'));
  });
});
