// Backups through the real CLI: a restore over the API restarts `satchel serve` in-process (same port, hooks loaded
// again) and then serves the restored data; `satchel backup` / `satchel restore` work offline on a stopped
// server's data directory, and a bad archive changes nothing.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import PocketBase from 'pocketbase';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, runCli, startServer, writeCollection } from './helpers/server.js';

const EMAIL = 'root@example.com';
const PASSWORD = 'password1234';
const NOTES = {
  name: 'notes',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [{ name: 'text', type: 'text' }],
};

afterAll(cleanup);

/** A data and collections directory with the notes collection and a superuser. */
async function project(): Promise<{ dataDir: string; collectionsDir: string; dirFlags: string[] }> {
  const dataDir = makeTempDir('satchel-data-');
  const collectionsDir = makeTempDir('satchel-collections-');
  writeCollection(collectionsDir, NOTES);
  const dirFlags = [`--dir=${dataDir}`, `--collections=${collectionsDir}`];
  const made = await runCli(['superuser', 'upsert', EMAIL, PASSWORD, ...dirFlags]);
  expect(made.code, made.stderr).toBe(0);
  return { dataDir, collectionsDir, dirFlags };
}

function notesIn(dataDir: string): string[] {
  const db = new Database(join(dataDir, 'data.db'), { readonly: true });
  try {
    return (db.prepare('SELECT text FROM notes ORDER BY text').all() as { text: string }[]).map((r) => r.text);
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('restore through the API, with satchel serve restarting in-process', () => {
  it('answers 204, restarts on the same port with the hooks loaded again, and serves the restored data', async () => {
    const { dataDir, collectionsDir } = await project();
    const hooksDir = makeTempDir('satchel-hooks-');
    writeFileSync(
      join(hooksDir, 'hello.mjs'),
      "export default (app) => app.hono.get('/hello', (c) => c.text('hooked'));\n",
    );
    const server = await startServer({
      dataDir,
      collectionsDir,
      args: ({ port }) => [
        'serve',
        `--http=127.0.0.1:${port}`,
        `--dir=${dataDir}`,
        `--collections=${collectionsDir}`,
        `--hooks=${hooksDir}`,
      ],
    });
    const pb = new PocketBase(server.url);
    await pb.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
    await pb.collection('notes').create({ text: 'before' });
    mkdirSync(join(dataDir, 'storage', 'x'), { recursive: true });
    writeFileSync(join(dataDir, 'storage', 'x', 'file.txt'), 'stored before');
    await pb.backups.create('snap.zip');
    await pb.collection('notes').create({ text: 'after' });
    writeFileSync(join(dataDir, 'storage', 'x', 'file.txt'), 'changed after');

    await pb.backups.restore('snap.zip');
    const deadline = Date.now() + 15_000;
    while (!server.output().includes('Server restarted at') && Date.now() < deadline) await sleep(100);
    expect(server.output()).toContain('Server restarted at');

    // The same address serves the restored data; the superuser's token still holds (same database, same keys).
    const texts = (await pb.collection('notes').getFullList()).map((r) => r.text);
    expect(texts).toEqual(['before']);
    expect(readFileSync(join(dataDir, 'storage', 'x', 'file.txt'), 'utf8')).toBe('stored before');
    expect(await (await fetch(`${server.url}/hello`)).text()).toBe('hooked');
    expect(server.output().match(/loaded hooks from/g)).toHaveLength(2);
    expect(existsSync(join(dataDir, '.pre-restore'))).toBe(false);
    expect(existsSync(join(dataDir, '.restore'))).toBe(false);
    expect((await pb.backups.getFullList()).map((b) => b.key)).toEqual(['snap.zip']);

    const stopped = await server.stop();
    expect(stopped.code).toBe(0);
  });
});

describe('satchel backup and satchel restore, offline', () => {
  it('backs up a stopped server, restores a key or a path, and refuses a bad archive changing nothing', async () => {
    const { dataDir, collectionsDir, dirFlags } = await project();
    const server = await startServer({ dataDir, collectionsDir });
    const pb = new PocketBase(server.url);
    await pb.collection('notes').create({ text: 'one' });
    await server.stop();

    const backup = await runCli(['backup', 'offline.zip', ...dirFlags]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('offline.zip');
    expect(existsSync(join(dataDir, 'backups', 'offline.zip'))).toBe(true);
    const badName = await runCli(['backup', 'Bad Name.zip', ...dirFlags]);
    expect(badName.code).toBe(1);
    expect(badName.stderr).toMatch(/name/);

    const db = new Database(join(dataDir, 'data.db'));
    db.prepare("INSERT INTO notes (id, text) VALUES ('zzzzzzzzzzzzzzz', 'two')").run();
    db.close();
    expect(notesIn(dataDir)).toEqual(['one', 'two']);

    const garbage = join(makeTempDir(), 'garbage.zip');
    writeFileSync(garbage, 'not a zip');
    for (const arg of [garbage, 'missing.zip']) {
      const refused = await runCli(['restore', arg, ...dirFlags]);
      expect(refused.code, arg).toBe(1);
      expect(refused.stderr, arg).toMatch(/nothing was restored/);
      expect(notesIn(dataDir)).toEqual(['one', 'two']);
    }

    const restored = await runCli(['restore', 'offline.zip', ...dirFlags]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(notesIn(dataDir)).toEqual(['one']);

    // A path works too: the archive copied anywhere.
    const copy = join(makeTempDir(), 'copy.zip');
    writeFileSync(copy, readFileSync(join(dataDir, 'backups', 'offline.zip')));
    const db2 = new Database(join(dataDir, 'data.db'));
    db2.prepare("INSERT INTO notes (id, text) VALUES ('yyyyyyyyyyyyyyy', 'three')").run();
    db2.close();
    const byPath = await runCli(['restore', copy, ...dirFlags]);
    expect(byPath.code, byPath.stderr).toBe(0);
    expect(notesIn(dataDir)).toEqual(['one']);
    expect(existsSync(join(dataDir, '.pre-restore'))).toBe(false);
  });
});
