// Where record files live: an interface, so local disk and S3-compatible storage share the engine and every test.
import type { Readable } from 'node:stream';

export interface StoredFile {
  size: number;
  modified: Date;
}

/** An inclusive byte range, as HTTP Range requests name them. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Keys are `<collectionId>/<recordId>/<name>` (and thumbnails below them); every key was made by the engine from
 * checked parts, never taken from a request as is.
 */
export interface FileStorage {
  /** Stores the bytes of `source` under `key`, replacing what was there; `size`, when known, saves a copy. */
  write(key: string, source: Readable | Buffer, size?: number): Promise<void>;
  /** The file's bytes (or a range of them). Undefined when there is no such file. */
  read(key: string, range?: ByteRange): Promise<Readable | undefined>;
  stat(key: string): Promise<StoredFile | undefined>;
  /**
   * Moves a local file (an upload's temporary file) in under `key` without copying it, when the storage can
   * (local disk, same filesystem); false when it cannot, and the caller writes the bytes instead.
   */
  moveIn?(key: string, path: string): Promise<boolean>;
  /** Removes one file; a missing one is not an error. */
  delete(key: string): Promise<void>;
  /** Removes every file whose key starts with `prefix/` (a record's folder). */
  deletePrefix(prefix: string): Promise<void>;
}

/** Where a record's file is kept: `<collection id>/<record id>/<file name>`, as PocketBase lays storage out. */
export function storageKey(collectionId: string, recordId: string, name: string): string {
  return `${collectionId}/${recordId}/${name}`;
}
