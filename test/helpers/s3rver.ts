// An S3-compatible server (s3rver) on loopback for the tests that need a real bucket.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Options } from '../../src/core/files/s3-storage.js';

export interface TestBuckets {
  port: number;
  /** Options for one of the buckets, as S3Storage and the settings' s3 group take them. */
  options(bucket: string): S3Options & { endpoint: string; forcePathStyle: true };
  close(): Promise<void>;
}

/** Starts s3rver with the given (empty) buckets; `close` stops it and removes its files. */
export async function startBuckets(...buckets: string[]): Promise<TestBuckets> {
  const dir = mkdtempSync(join(tmpdir(), 'satchel-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const { port } = await server.run();
  return {
    port,
    options: (bucket) => ({
      bucket,
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      accessKey: 'S3RVER',
      secret: 'S3RVER',
      forcePathStyle: true,
    }),
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
