// Files in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Backblaze B2...): how several Satchel
// processes share files. The AWS SDK is loaded on first use, so a server that keeps files on disk never pays
// for it at start.
import type { S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import type { ByteRange, FileStorage, StoredFile } from './storage.js';

export interface S3Options {
  bucket: string;
  region: string;
  /** The service's URL, for anything but AWS itself (e.g. `https://<account>.r2.cloudflarestorage.com`). */
  endpoint?: string;
  accessKey: string;
  secret: string;
  /** `https://endpoint/bucket/key` rather than `https://bucket.endpoint/key` (MinIO and most self-hosted ones). */
  forcePathStyle?: boolean;
}

type S3Module = typeof import('@aws-sdk/client-s3');

function isMissing(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
}

export class S3Storage implements FileStorage {
  private loaded?: Promise<{ s3: S3Module; client: S3Client }>;

  constructor(private readonly options: S3Options) {}

  private load(): Promise<{ s3: S3Module; client: S3Client }> {
    this.loaded ??= import('@aws-sdk/client-s3').then((s3) => {
      const { region, endpoint, accessKey, secret, forcePathStyle } = this.options;
      const client = new s3.S3Client({
        region,
        endpoint,
        forcePathStyle,
        credentials: { accessKeyId: accessKey, secretAccessKey: secret },
        // Checksums only where S3 requires them: the newer default (streamed, trailing checksums) is refused by
        // many S3-compatible services.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
      return { s3, client };
    });
    return this.loaded;
  }

  async write(key: string, source: Readable | Buffer, size?: number): Promise<void> {
    const { s3, client } = await this.load();
    // A stream of unknown length is collected first: PutObject needs the length up front.
    const body = Buffer.isBuffer(source) || size !== undefined ? source : await collect(source);
    const length = Buffer.isBuffer(body) ? body.length : size;
    await client.send(
      new s3.PutObjectCommand({ Bucket: this.options.bucket, Key: key, Body: body, ContentLength: length }),
    );
  }

  async read(key: string, range?: ByteRange): Promise<Readable | undefined> {
    const { s3, client } = await this.load();
    try {
      const out = await client.send(
        new s3.GetObjectCommand({
          Bucket: this.options.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async stat(key: string): Promise<StoredFile | undefined> {
    const { s3, client } = await this.load();
    try {
      const out = await client.send(new s3.HeadObjectCommand({ Bucket: this.options.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, modified: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const { s3, client } = await this.load();
    await client.send(new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
  }

  /** Every object whose key starts with `prefix` (all pages of the listing). Not part of FileStorage: backups use it. */
  async list(prefix: string): Promise<({ key: string } & StoredFile)[]> {
    const { s3, client } = await this.load();
    const found: ({ key: string } & StoredFile)[] = [];
    let token: string | undefined;
    do {
      const listed = await client.send(
        new s3.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of listed.Contents ?? []) {
        if (o.Key) found.push({ key: o.Key, size: o.Size ?? 0, modified: o.LastModified ?? new Date(0) });
      }
      token = listed.IsTruncated ? listed.NextContinuationToken : undefined;
    } while (token);
    return found;
  }

  async deletePrefix(prefix: string): Promise<void> {
    const { s3, client } = await this.load();
    for (;;) {
      const listed = await client.send(
        new s3.ListObjectsV2Command({ Bucket: this.options.bucket, Prefix: `${prefix}/`, MaxKeys: 1000 }),
      );
      const keys = (listed.Contents ?? []).map((o) => o.Key).filter((k): k is string => Boolean(k));
      if (!keys.length) return;
      for (const key of keys) await client.send(new s3.DeleteObjectCommand({ Bucket: this.options.bucket, Key: key }));
      if (!listed.IsTruncated) return;
    }
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
