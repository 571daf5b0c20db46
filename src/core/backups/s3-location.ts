// Backup archives in an S3-compatible bucket (the settings' backups.s3), through the same client as file storage.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { S3Storage, type S3Options } from '../files/s3-storage.js';
import type { BackupInfo, BackupLocation } from './location.js';
import { isBackupKey } from './names.js';

/** Archives are objects at the bucket's top level, named by their keys; other objects are not listed. */
export class S3BackupLocation implements BackupLocation {
  private readonly bucket: S3Storage;

  constructor(options: S3Options) {
    this.bucket = new S3Storage(options);
  }

  async list(): Promise<BackupInfo[]> {
    return (await this.bucket.list('')).filter((o) => isBackupKey(o.key));
  }

  async stat(key: string): Promise<BackupInfo | undefined> {
    const found = await this.bucket.stat(key);
    return found && { key, ...found };
  }

  async put(key: string, path: string): Promise<void> {
    // Streamed with its length known up front: the archive is never collected in memory.
    const { size } = await stat(path);
    await this.bucket.write(key, createReadStream(path), size);
  }

  read(key: string): Promise<Readable | undefined> {
    return this.bucket.read(key);
  }

  delete(key: string): Promise<void> {
    return this.bucket.delete(key);
  }
}
