// A backup archive: the database copied as of one moment plus the uploaded files (`storage/`), as one zip; and the
// way back: unpacking one and checking that it holds a sound Satchel database before anything relies on it.
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { DatabaseFiles } from '../db/index.js';
import { ArchiveError, extractZip, writeZip, type ZipSource } from './zip.js';

/** The uploaded files' folder inside the data directory, and inside an archive. */
export const STORAGE_DIR = 'storage';

/** The system tables (and a column of each) that only a Satchel database has: PocketBase's have other columns. */
const SATCHEL_TABLES: Record<string, string> = { _collections: 'definition', _params: 'value' };

/** The files under `dir` (none when it is missing), skipping uploads still being written (`*.partial`). */
async function storageSources(dataDir: string): Promise<ZipSource[]> {
  const root = join(dataDir, STORAGE_DIR);
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile() && !e.name.endsWith('.partial'))
    .map((e) => {
      const path = join(e.parentPath ?? e.path, e.name);
      return { path, name: relative(dataDir, path).split(sep).join('/') };
    });
}

/**
 * Writes the archive of `dataDir` to `target`: first the database snapshot (in `workDir`), then the storage
 * folder as it is at that time. Files uploaded after the snapshot may come along; they belong to no record in it.
 */
export async function buildArchive(dataDir: string, files: DatabaseFiles, workDir: string, target: string) {
  const snapshot = join(workDir, files.main);
  await files.snapshot(join(dataDir, files.main), snapshot);
  await writeZip([{ path: snapshot, name: files.main }, ...(await storageSources(dataDir))], target);
}

/** Extracts the database and the storage folder of the archive at `zipPath` into `dir` and checks the database. */
export async function unpackArchive(zipPath: string, dir: string, files: DatabaseFiles): Promise<void> {
  const wanted = (name: string) => name === files.main || name.startsWith(`${STORAGE_DIR}/`);
  const names = await extractZip(zipPath, dir, wanted);
  if (!names.includes(files.main)) throw new ArchiveError(`the archive has no ${files.main}`);
  const found = await files.inspect(join(dir, files.main));
  if (found.problem !== undefined) throw new ArchiveError(`its ${files.main} is ${found.problem}`);
  for (const [table, column] of Object.entries(SATCHEL_TABLES)) {
    if (!found.tables[table]?.includes(column)) {
      throw new ArchiveError(`its ${files.main} is not a Satchel database (no ${table} table as Satchel keeps it)`);
    }
  }
}
