// The backup engine without HTTP: a staged restore whose data does not open puts the running data back; a restore
// interrupted between moving the data aside and confirming it is undone at the next open; generated names.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generatedName, isBackupKey, S3BackupLocation, stageRestore } from '../../src/core/backups/index.js';
import { writeZip } from '../../src/core/backups/zip.js';
import { sqliteEngine } from '../../src/core/db/index.js';
import { openEngine } from '../../src/core/engine.js';
import { tempDirs, type TempDirs } from '../helpers/temp-app.js';
import { startBuckets } from '../helpers/s3rver.js';

const files = sqliteEngine.files!;
let dirs: TempDirs;

afterEach(() => dirs.remove());

const notes = (withExtra: boolean) => ({
  name: 'notes',
  fields: [{ name: 'text', type: 'text' }, ...(withExtra ? [{ name: 'extra', type: 'text' }] : [])],
});

async function texts(allowDataLoss = false): Promise<string[]> {
  const engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, allowDataLoss });
  try {
    return (await engine.store.all<{ text: string }>('SELECT text FROM notes ORDER BY text')).map((r) => r.text);
  } finally {
    await engine.close();
  }
}

let inserted = 0;

async function insert(text: string, extra?: string): Promise<void> {
  const engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
  try {
    const id = `r${String(++inserted).padStart(14, '0')}`;
    if (extra === undefined) await engine.store.run('INSERT INTO notes (id, text) VALUES (?, ?)', [id, text]);
    else await engine.store.run('INSERT INTO notes (id, text, extra) VALUES (?, ?, ?)', [id, text, extra]);
  } finally {
    await engine.close();
  }
}

describe('applying a restore', () => {
  it('puts the running data back when the restored data does not open, and says why', async () => {
    dirs = tempDirs();
    dirs.writeCollection(notes(true));
    await insert('old', 'has a value');
    const engine = await openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir });
    const key = await engine.backups.create('old.zip');
    await engine.close();
    // The definitions drop `extra` (allowed once for the running data); the backup still holds values in it.
    dirs.writeCollection(notes(false));
    expect(await texts(true)).toEqual(['old']);
    await insert('current');
    await stageRestore(join(dirs.dataDir, 'backups', key), dirs.dataDir, files);

    await expect(texts()).rejects.toThrow(/extra/);
    expect(existsSync(join(dirs.dataDir, '.pre-restore'))).toBe(false);
    expect(await texts()).toEqual(['current', 'old']);
  });

  it('undoes, at the next open, a restore that was moved in but never confirmed (a crash while opening)', async () => {
    dirs = tempDirs();
    dirs.writeCollection(notes(false));
    await insert('running');
    // What a crash leaves: the running data aside (with the marker), other data in its place.
    const aside = join(dirs.dataDir, '.pre-restore');
    mkdirSync(aside);
    renameSync(join(dirs.dataDir, 'data.db'), join(aside, 'data.db'));
    writeFileSync(join(aside, '.moved'), '');
    writeFileSync(join(dirs.dataDir, 'data.db'), 'half-restored garbage');
    expect(await texts()).toEqual(['running']);
    expect(existsSync(aside)).toBe(false);
  });

  it('never applies a staging folder that was not finished', async () => {
    dirs = tempDirs();
    dirs.writeCollection(notes(false));
    await insert('running');
    mkdirSync(join(dirs.dataDir, '.restore'));
    writeFileSync(join(dirs.dataDir, '.restore', 'data.db'), 'an interrupted extraction');
    expect(await texts()).toEqual(['running']);
    expect(existsSync(join(dirs.dataDir, '.restore'))).toBe(false);
  });
});

describe('backup names', () => {
  it('generates PocketBase-style names and accepts only plain file names as keys', () => {
    const at = new Date('2025-01-03T12:23:01.865Z');
    expect(generatedName('pb_backup_', 'My Cool App', at)).toBe('pb_backup_my_cool_app_20250103122301.zip');
    expect(generatedName('@auto_pb_backup_', 'Satchel', at)).toBe('@auto_pb_backup_satchel_20250103122301.zip');
    for (const key of ['a.zip', '@auto_pb_backup_x_1.zip', 'Upload.v2.zip']) expect(isBackupKey(key), key).toBe(true);
    for (const key of ['../a.zip', '.hidden.zip', 'a/b.zip', 'a.db', 'a..zip', '']) {
      expect(isBackupKey(key), key).toBe(false);
    }
  });
});

describe('writing an archive', () => {
  it('fails, rather than hanging, when a file to archive has gone', async () => {
    dirs = tempDirs();
    const target = join(dirs.root, 'out.zip');
    await expect(writeZip([{ path: join(dirs.root, 'gone.txt'), name: 'storage/gone.txt' }], target)).rejects.toThrow(
      /ENOENT/,
    );
  });
});

describe('archives in an S3-compatible bucket (s3rver on loopback)', () => {
  it('creates, lists and restores a backup kept in the bucket, none on local disk', async () => {
    dirs = tempDirs();
    dirs.writeCollection(notes(false));
    await insert('in the bucket');
    const buckets = await startBuckets('backups');
    try {
      const location = new S3BackupLocation(buckets.options('backups'));
      const open = () =>
        openEngine({ dataDir: dirs.dataDir, collectionsDir: dirs.collectionsDir, backupLocation: location });
      let engine = await open();
      await engine.backups.create('remote.zip');
      const listed = await engine.backups.list();
      expect(listed.map((b) => b.key)).toEqual(['remote.zip']);
      expect(listed[0]!.size).toBeGreaterThan(100);
      expect(existsSync(join(dirs.dataDir, 'backups', 'remote.zip'))).toBe(false);
      await engine.store.run("UPDATE notes SET text = 'changed'");
      await engine.backups.restore('remote.zip');
      await engine.close();
      engine = await open();
      expect(await engine.store.all('SELECT text FROM notes')).toEqual([{ text: 'in the bucket' }]);
      await engine.backups.delete('remote.zip');
      expect(await engine.backups.list()).toEqual([]);
      await engine.close();
    } finally {
      await buckets.close();
    }
  });
});
