// Backup archives in a local folder, `<dataDir>/backups/` by default.
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { BackupInfo, BackupLocation } from './location.js';
import { isBackupKey } from './names.js';

export class LocalBackupLocation implements BackupLocation {
  constructor(private readonly dir: string) {}

  private path(key: string): string {
    // Callers check keys; this is the last guard before the filesystem.
    if (!isBackupKey(key)) throw new Error(`not a backup key: ${key}`);
    return join(this.dir, key);
  }

  async list(): Promise<BackupInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const found = await Promise.all(names.filter(isBackupKey).map((key) => this.stat(key)));
    return found.filter((info): info is BackupInfo => info !== undefined);
  }

  async stat(key: string): Promise<BackupInfo | undefined> {
    try {
      const s = await stat(this.path(key));
      return s.isFile() ? { key, size: s.size, modified: s.mtime } : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, path: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.path(key);
    try {
      await rename(path, target);
    } catch (err) {
      // Another filesystem: copy beside, then rename, so a reader never sees half an archive.
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(path, `${target}.partial`);
      await rename(`${target}.partial`, target);
      await rm(path, { force: true });
    }
  }

  async read(key: string): Promise<Readable | undefined> {
    if (!(await this.stat(key))) return undefined;
    return createReadStream(this.path(key));
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
}
