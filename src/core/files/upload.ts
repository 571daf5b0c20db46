// A file a client sent: held in a temporary file (or a buffer, when code makes one) until the write stores it.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { randomString } from '../ids.js';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
/** Bytes read to tell a file's type by its content. */
const SNIFF_BYTES = 4100;

export class UploadedFile {
  /** The name it will be stored under: set once, when the write names it. */
  storedName = '';

  private constructor(
    /** The name the client gave (never used as is). */
    readonly originalName: string,
    readonly size: number,
    private readonly path: string | undefined,
    private readonly buffer: Buffer | undefined,
  ) {}

  /** An upload already written to a temporary file (the multipart reader makes these). */
  static fromTempFile(originalName: string, path: string, size: number): UploadedFile {
    return new UploadedFile(originalName, size, path, undefined);
  }

  /** An upload made by code (a hook, a test, the SDK-less API): the bytes in memory. */
  static fromBuffer(originalName: string, buffer: Buffer): UploadedFile {
    return new UploadedFile(originalName, buffer.length, undefined, buffer);
  }

  /** The temporary file holding the bytes, when there is one (storage may move it in rather than copy it). */
  get tempPath(): string | undefined {
    return this.path;
  }

  /** The bytes, as a stream (or the buffer itself). */
  source(): Readable | Buffer {
    if (this.buffer) return this.buffer;
    const stream = createReadStream(this.path!);
    // An error before the consumer listens (the file already gone) must reach it, not crash the process:
    // the consumer's pipeline sees the stream as errored.
    stream.on('error', () => undefined);
    return stream;
  }

  /** The first bytes, for telling the type by content. */
  async head(): Promise<Buffer> {
    if (this.buffer) return this.buffer.subarray(0, SNIFF_BYTES);
    const handle = await open(this.path!, 'r');
    try {
      const out = Buffer.alloc(Math.min(SNIFF_BYTES, this.size));
      const { bytesRead } = await handle.read(out, 0, out.length, 0);
      return out.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  /** A readable copy for code that wants a web stream. */
  toWeb(): ReadableStream {
    const source = this.source();
    return Readable.toWeb(Buffer.isBuffer(source) ? Readable.from([source]) : source) as ReadableStream;
  }
}

export function isUpload(value: unknown): value is UploadedFile {
  return value instanceof UploadedFile;
}

/**
 * The name a file is stored under, as PocketBase makes it: the client's name cleaned (letters, digits, `_`, `-`;
 * at most 100 characters, lower case), `_` and 10 random characters, then its extension. Two uploads of one name
 * never collide, and nothing of the client's name can reach outside the record's folder.
 */
export function storedName(originalName: string): string {
  const base = originalName.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  const rawExt = dot > 0 ? base.slice(dot + 1) : '';
  const ext = /^[A-Za-z0-9]{1,20}$/.test(rawExt) ? `.${rawExt.toLowerCase()}` : '';
  const stem = (dot > 0 ? base.slice(0, dot) : base)
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_-]+/g, '_')
    .replace(/^[_-]+|[_-]+$/g, '')
    .slice(0, 100)
    .toLowerCase();
  return `${stem || randomString(10, LOWER_ALNUM)}_${randomString(10, LOWER_ALNUM)}${ext}`;
}
