// Backups over a real loopback server with the official SDK (pb.backups.*): list, create, upload, download with a
// file token, delete, restore; archives that are not Satchel backups are refused and change nothing; a backup
// taken while writes go on restores to a sound database holding every write acknowledged before it began.
import { createWriteStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import Database from 'better-sqlite3';
import { createApp, type RunningServer, type SatchelApp } from '../../src/app.js';
import { AUTO_BACKUP_JOB } from '../../src/core/backups/index.js';
import { OPEN_RULES, tempDirs, type TempDirs } from '../helpers/temp-app.js';

const EMAIL = 'root@example.com';
const PASSWORD = 'password1234';
const NOTES = { name: 'notes', ...OPEN_RULES, fields: [{ name: 'text', type: 'text' }] };

let app: SatchelApp;
let dirs: TempDirs;
let server: RunningServer;
let pb: PocketBase;

async function open(): Promise<void> {
  app = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, rateLimit: false });
  server = await app.listen({ port: 0 });
  pb = new PocketBase(server.url);
  await pb.collection('_superusers').authWithPassword(EMAIL, PASSWORD);
}

async function close(): Promise<void> {
  await server.close();
  await app.close();
}

beforeAll(async () => {
  dirs = tempDirs();
  dirs.writeCollection(NOTES);
  const first = await createApp({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
  await first.auth.upsertSuperuser(EMAIL, PASSWORD);
  await first.close();
  await open();
});

afterAll(async () => {
  await close();
  dirs.remove();
});

const backupsDir = () => join(dirs.dataDir, 'backups');
const noteTexts = async () => (await pb.collection('notes').getFullList({ sort: 'text' })).map((r) => r.text);

/** The 400 an SDK call got: its message and data. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string; data: any }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ClientResponseError);
  const { status, response } = err as ClientResponseError;
  return { status, message: response.message, data: response.data };
}

/** A zip holding `entries` (name -> bytes), written to `path`. */
async function makeZip(path: string, entries: Record<string, Buffer>): Promise<string> {
  const zip = new yazl.ZipFile();
  for (const [name, bytes] of Object.entries(entries)) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
  return path;
}

/** A SQLite database that is sound but not Satchel's. */
function foreignDatabase(path: string): Buffer {
  const db = new Database(path);
  db.exec('CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO things (name) VALUES (1)');
  db.close();
  return readFileSync(path);
}

describe('the backups API through the SDK', () => {
  it('is for superusers only', async () => {
    const guest = new PocketBase(server.url);
    expect((await refusal(guest.backups.getFullList())).status).toBe(401);
    expect((await refusal(guest.backups.create('x.zip'))).status).toBe(401);
  });

  it('creates, lists newest first, downloads with a file token and deletes', async () => {
    await pb.collection('notes').create({ text: 'kept' });
    await pb.backups.create('first.zip');
    await pb.backups.create('');
    const list = await pb.backups.getFullList();
    expect(list.map((b) => b.key)).toContain('first.zip');
    const generated = list.find((b) => b.key !== 'first.zip')!;
    expect(generated.key).toMatch(/^pb_backup_satchel_\d{14}\.zip$/);
    expect(list[0]!.modified >= list[1]!.modified).toBe(true);
    expect(list.find((b) => b.key === 'first.zip')!.size).toBeGreaterThan(100);
    expect(list[0]!.modified).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$/);

    const token = await pb.files.getToken();
    const res = await fetch(pb.backups.getDownloadURL(token, 'first.zip'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    expect(bytes.length).toBe(list.find((b) => b.key === 'first.zip')!.size);

    expect((await fetch(pb.backups.getDownloadURL('', 'first.zip'))).status).toBe(403);
    expect((await fetch(pb.backups.getDownloadURL(token, 'missing.zip'))).status).toBe(404);
    expect((await fetch(`${server.url}/api/backups/..%2Fdata.db?token=${token}`)).status).toBe(404);

    await pb.backups.delete(generated.key);
    expect((await pb.backups.getFullList()).map((b) => b.key)).not.toContain(generated.key);
  });

  it('refuses a name outside PocketBase rule, or one taken, naming the field', async () => {
    const bad = await refusal(pb.backups.create('../Bad Name.zip'));
    expect(bad.status).toBe(400);
    expect(bad.data.name.code).toBe('validation_invalid_format');
    const taken = await refusal(pb.backups.create('first.zip'));
    expect(taken.status).toBe(400);
    expect(taken.data.name.code).toBe('validation_backup_name_exists');
  });

  it('refuses a second backup while one runs, and health tells whether one can start', async () => {
    expect((await pb.health.check()).data.canBackup).toBe(true);
    // requestKey null: the SDK would otherwise cancel the first of two like requests itself.
    const results = await Promise.allSettled(
      ['a1.zip', 'a2.zip'].map((name) => pb.backups.create(name, { requestKey: null })),
    );
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(((failed[0] as PromiseRejectedResult).reason as ClientResponseError).response.message).toBe(
      'Try again later - another backup/restore operation has already been started.',
    );
    expect((await pb.health.check()).data.canBackup).toBe(true);
  });

  it('uploads a Satchel archive and refuses anything else with a 400 naming file', async () => {
    const token = await pb.files.getToken();
    const good = Buffer.from(await (await fetch(pb.backups.getDownloadURL(token, 'first.zip'))).arrayBuffer());
    await pb.backups.upload({ file: new File([good], 'uploaded.zip') });
    expect((await pb.backups.getFullList()).map((b) => b.key)).toContain('uploaded.zip');

    const foreign = await makeZip(join(dirs.root, 'foreign.zip'), {
      'data.db': foreignDatabase(join(dirs.root, 'foreign.db')),
    });
    const noDb = await makeZip(join(dirs.root, 'nodb.zip'), { 'readme.txt': Buffer.from('hi') });
    const cases: [string, Buffer][] = [
      ['notzip.zip', Buffer.from('this is not a zip at all')],
      ['foreign.zip', readFileSync(foreign)],
      ['nodb.zip', readFileSync(noDb)],
      ['truncated.zip', good.subarray(0, good.length - 200)],
    ];
    for (const [name, bytes] of cases) {
      const res = await refusal(pb.backups.upload({ file: new File([bytes], name) }));
      expect(res.status, name).toBe(400);
      expect(res.data.file, name).toBeDefined();
    }
    expect((await refusal(pb.backups.upload({ file: new File([good], 'uploaded.zip') }))).data.file.code).toBe(
      'validation_backup_name_exists',
    );
    const keys = (await pb.backups.getFullList()).map((b) => b.key);
    for (const [name] of cases) expect(keys).not.toContain(name);
  });

  it('refuses to restore a corrupt or foreign archive, and nothing changes', async () => {
    const good = readFileSync(join(backupsDir(), 'first.zip'));
    const corruptDb = Buffer.from(readFileSync(join(dirs.dataDir, 'data.db')));
    corruptDb.fill(0x5a, 4096, 8192); // a page of garbage inside a real database
    await makeZip(join(backupsDir(), 'corrupt-db.zip'), { 'data.db': corruptDb });
    writeFileSync(join(backupsDir(), 'garbage.zip'), good.subarray(100));
    await makeZip(join(backupsDir(), 'foreign.zip'), { 'data.db': foreignDatabase(join(dirs.root, 'f2.db')) });
    // yazl refuses to write `../` names: write `aa/` and patch the bytes, as a hostile tool would.
    const escape = await makeZip(join(dirs.root, 'escape.zip'), { 'aa/escape.db': Buffer.from('x') });
    writeFileSync(
      join(backupsDir(), 'escape.zip'),
      Buffer.from(readFileSync(escape).toString('latin1').replaceAll('aa/escape.db', '../escape.db'), 'latin1'),
    );
    const before = await noteTexts();
    for (const key of ['corrupt-db.zip', 'garbage.zip', 'foreign.zip', 'escape.zip']) {
      const res = await refusal(pb.backups.restore(key));
      expect(res.status, key).toBe(400);
      expect(res.message, key).toMatch(/cannot be restored/);
    }
    expect((await refusal(pb.backups.restore('missing.zip'))).status).toBe(400);
    expect(existsSync(join(dirs.dataDir, '.restore'))).toBe(false);
    expect(existsSync(join(dirs.root, 'escape.db'))).toBe(false);
    expect(await noteTexts()).toEqual(before);
  });

  it('a backup taken while writes go on restores everything acknowledged before it began, soundly', async () => {
    const acknowledged: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; writing && i < 5000; i++) {
        await pb.collection('notes').create({ text: `w${String(i).padStart(5, '0')}` });
        acknowledged.push(`w${String(i).padStart(5, '0')}`);
      }
    })();
    while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 5));
    const before = [...acknowledged];
    await pb.backups.create('during-writes.zip');
    const duringBackup = acknowledged.length;
    writing = false;
    await writer;
    // Writes were acknowledged while the backup ran: it did not stop them.
    expect(duringBackup).toBeGreaterThan(before.length);

    // Library use (no restart handler): the restore is staged, answered 204, and applied at the next open.
    await pb.backups.restore('during-writes.zip');
    expect(existsSync(join(dirs.dataDir, '.restore'))).toBe(true);
    await close();
    await open();
    expect(existsSync(join(dirs.dataDir, '.restore'))).toBe(false);
    expect(existsSync(join(dirs.dataDir, '.pre-restore'))).toBe(false);
    const restored = await noteTexts();
    for (const text of before) expect(restored).toContain(text);
    expect(restored.length).toBeLessThan(acknowledged.length + 2);
    const db = new Database(join(dirs.dataDir, 'data.db'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('keeps the newest scheduled backups up to maxKeep', async () => {
    app.engine.backups.schedule(app.cron, '0 3 * * *', 2);
    for (let i = 0; i < 3; i++) {
      await app.cron.runNow(AUTO_BACKUP_JOB);
      // Generated names have a one-second resolution.
      await new Promise((r) => setTimeout(r, 1100));
    }
    const auto = readdirSync(backupsDir()).filter((name) => name.startsWith('@auto_pb_backup_satchel_'));
    expect(auto).toHaveLength(2);
    // The generated keys (with their `@`) download and delete through the SDK like any other.
    const token = await pb.files.getToken();
    const download = await fetch(pb.backups.getDownloadURL(token, auto[0]!));
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toContain(auto[0]!);
    await pb.backups.delete(auto[0]!);
    expect(readdirSync(backupsDir())).not.toContain(auto[0]!);
    expect((await pb.crons.getFullList()).map((c) => c.id)).toContain(AUTO_BACKUP_JOB);
    app.engine.backups.schedule(app.cron, '', 0);
    expect((await pb.crons.getFullList()).map((c) => c.id)).not.toContain(AUTO_BACKUP_JOB);
  });
});
