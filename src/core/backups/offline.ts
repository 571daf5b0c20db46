// `satchel restore KEY|PATH` on a stopped server's data directory: finds the archive and stages it; the next open
// of the data directory applies it (or puts the old data back when it does not open).
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sqliteEngine } from '../db/index.js';
import { isBackupKey } from './names.js';
import { stageRestore } from './restore.js';
import { ArchiveError } from './zip.js';

/** The archive a `restore` argument names: a key of `<dataDir>/backups/` first, else a path; undefined if neither. */
export function findArchive(dataDir: string, keyOrPath: string): string | undefined {
  const candidates = isBackupKey(keyOrPath) ? [join(dataDir, 'backups', keyOrPath)] : [];
  candidates.push(resolve(keyOrPath));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** Checks and stages the archive for the data directory's next open; throws ArchiveError naming what is wrong. */
export async function stageOfflineRestore(dataDir: string, keyOrPath: string): Promise<string> {
  const archive = findArchive(dataDir, keyOrPath);
  if (!archive) throw new ArchiveError(`no backup "${keyOrPath}" (neither a key in ${dataDir}/backups/ nor a file)`);
  await stageRestore(archive, dataDir, sqliteEngine.files!);
  return archive;
}
