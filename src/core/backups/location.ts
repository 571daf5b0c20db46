// Where backup archives are kept: an interface (a local folder now, an S3 bucket when the settings say so).
import type { Readable } from 'node:stream';

/** One archive, as GET /api/backups lists it. */
export interface BackupInfo {
  key: string;
  size: number;
  modified: Date;
}

/** Keys are plain file names checked by `isBackupKey` before any call here. */
export interface BackupLocation {
  /** Every archive, in no particular order. */
  list(): Promise<BackupInfo[]>;
  stat(key: string): Promise<BackupInfo | undefined>;
  /** Stores the local file `path` under `key` (moving it in when it can); the file may be gone afterwards. */
  put(key: string, path: string): Promise<void>;
  /** The archive's bytes, or undefined when there is no such key. */
  read(key: string): Promise<Readable | undefined>;
  /** Removes one archive; a missing one is not an error. */
  delete(key: string): Promise<void>;
}
