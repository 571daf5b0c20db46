// Applying a restore: a checked archive is staged in `<dataDir>/.restore/`; before the database is opened, the
// running data moves aside to `<dataDir>/.pre-restore/` and the staged data takes its place. The data kept aside
// is removed once the restored database has opened cleanly, and put back when it has not.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DatabaseFiles } from '../db/index.js';
import { STORAGE_DIR, unpackArchive } from './archive.js';

export const RESTORE_DIR = '.restore';
export const PRE_RESTORE_DIR = '.pre-restore';
/** Written last when staging: a staged folder without it was interrupted and is never applied. */
const READY = '.ready';
/** Written once every running file is aside: from then on, what is in the data directory is the restore's. */
const MOVED = '.moved';

/** What a restore swaps: the database, its journals and the uploaded files. */
function swapped(files: DatabaseFiles): string[] {
  return [files.main, ...files.companions, STORAGE_DIR];
}

/** Unpacks and checks the archive into the staging folder; throws ArchiveError (and stages nothing) when it is bad. */
export async function stageRestore(zipPath: string, dataDir: string, files: DatabaseFiles): Promise<void> {
  const staging = join(dataDir, RESTORE_DIR);
  await rm(staging, { recursive: true, force: true });
  try {
    await unpackArchive(zipPath, staging, files);
    await writeFile(join(staging, READY), new Date().toISOString());
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}

/** Whether a checked restore waits for the next open. */
export function restorePending(dataDir: string): boolean {
  return existsSync(join(dataDir, RESTORE_DIR, READY));
}

/**
 * Before the database opens: swaps a staged restore in (true), else does nothing (false). A restore left
 * unconfirmed by an earlier start (it crashed while opening) is undone first.
 */
export function applyStagedRestore(dataDir: string, files: DatabaseFiles): boolean {
  if (existsSync(join(dataDir, PRE_RESTORE_DIR))) revertRestore(dataDir, files);
  const staging = join(dataDir, RESTORE_DIR);
  if (!restorePending(dataDir)) {
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
  const aside = join(dataDir, PRE_RESTORE_DIR);
  mkdirSync(aside, { recursive: true });
  try {
    for (const name of swapped(files)) moveIfThere(join(dataDir, name), join(aside, name));
    writeFileSync(join(aside, MOVED), '');
    for (const name of swapped(files)) moveIfThere(join(staging, name), join(dataDir, name));
  } catch (err) {
    revertRestore(dataDir, files);
    throw err;
  }
  rmSync(staging, { recursive: true, force: true });
  return true;
}

/** The restored database opened cleanly: the data kept aside goes. */
export function confirmRestore(dataDir: string): void {
  rmSync(join(dataDir, PRE_RESTORE_DIR), { recursive: true, force: true });
}

/** Puts the data kept aside back in place of whatever the restore brought. */
export function revertRestore(dataDir: string, files: DatabaseFiles): void {
  const aside = join(dataDir, PRE_RESTORE_DIR);
  // Before MOVED, what is in the data directory is still the running data: only what went aside comes back.
  if (existsSync(join(aside, MOVED))) {
    for (const name of swapped(files)) rmSync(join(dataDir, name), { recursive: true, force: true });
  }
  for (const name of swapped(files)) moveIfThere(join(aside, name), join(dataDir, name));
  rmSync(aside, { recursive: true, force: true });
}

function moveIfThere(from: string, to: string): void {
  if (existsSync(from)) renameSync(from, to);
}
