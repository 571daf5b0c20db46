// The file storage the settings choose at runtime: the S3-compatible bucket of `s3` while it is enabled, the local
// folder otherwise. As in PocketBase, switching does not move files already stored.
import type { Readable } from 'node:stream';
import type { S3Settings } from '../settings/schema.js';
import { S3Storage } from './s3-storage.js';
import type { ByteRange, FileStorage, StoredFile } from './storage.js';

/** S3Storage options from the settings' `s3` group. */
export function s3OptionsFrom(s3: S3Settings) {
  return {
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint || undefined,
    accessKey: s3.accessKey,
    secret: s3.secret,
    forcePathStyle: s3.forcePathStyle,
  };
}

export class SettingsStorage implements FileStorage {
  private s3: { key: string; storage: S3Storage } | undefined;

  constructor(
    private readonly settings: () => S3Settings,
    private readonly local: FileStorage,
  ) {}

  /** The storage in use now; one S3 client per configuration, made again when the settings change. */
  current(): FileStorage {
    const s3 = this.settings();
    if (!s3.enabled) return this.local;
    const key = JSON.stringify(s3);
    if (this.s3?.key !== key) this.s3 = { key, storage: new S3Storage(s3OptionsFrom(s3)) };
    return this.s3.storage;
  }

  write(key: string, source: Readable | Buffer, size?: number): Promise<void> {
    return this.current().write(key, source, size);
  }

  read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    return this.current().read(key, range);
  }

  stat(key: string): Promise<StoredFile | undefined> {
    return this.current().stat(key);
  }

  async moveIn(key: string, path: string): Promise<boolean> {
    const storage = this.current();
    return storage.moveIn ? storage.moveIn(key, path) : false;
  }

  delete(key: string): Promise<void> {
    return this.current().delete(key);
  }

  deletePrefix(prefix: string): Promise<void> {
    return this.current().deletePrefix(prefix);
  }
}
