// The storage contract, run against both backends: local disk, and S3 through a real S3-compatible server
// (s3rver) on loopback. Then the record API end to end on S3.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStorage } from '../../src/core/files/local-storage.js';
import { S3Storage, type S3Options } from '../../src/core/files/s3-storage.js';
import { parseS3Url } from '../../src/core/files/s3-url.js';
import { startBuckets, type TestBuckets } from '../helpers/s3rver.js';
import type { FileStorage } from '../../src/core/files/storage.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let buckets: TestBuckets;
let s3: S3Options;
const localDir = mkdtempSync(join(tmpdir(), 'satchel-storage-'));

beforeAll(async () => {
  buckets = await startBuckets('satchel-test');
  s3 = buckets.options('satchel-test');
});

afterAll(async () => {
  await buckets.close();
  rmSync(localDir, { recursive: true, force: true });
});

async function text(stream: Readable | undefined): Promise<string | undefined> {
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const backends: [string, () => FileStorage][] = [
  ['local disk', () => new LocalStorage(localDir)],
  ['S3 (s3rver)', () => new S3Storage(s3)],
];

describe.each(backends)('%s', (_name, make) => {
  it('writes, stats, reads whole and in ranges, replaces', async () => {
    const storage = make();
    await storage.write('c1/r1/a.txt', Buffer.from('0123456789'));
    expect((await storage.stat('c1/r1/a.txt'))?.size).toBe(10);
    expect(await text(await storage.read('c1/r1/a.txt'))).toBe('0123456789');
    expect(await text(await storage.read('c1/r1/a.txt', { start: 3, end: 5 }))).toBe('345');
    await storage.write('c1/r1/a.txt', Readable.from([Buffer.from('new '), Buffer.from('bytes')]));
    expect(await text(await storage.read('c1/r1/a.txt'))).toBe('new bytes');
    await storage.write('c1/r1/b.txt', Readable.from([Buffer.from('sized')]), 5);
    expect(await text(await storage.read('c1/r1/b.txt'))).toBe('sized');
  });

  it('a missing file is undefined, not an error; deleting one is fine', async () => {
    const storage = make();
    expect(await storage.stat('c1/none/x')).toBeUndefined();
    expect(await storage.read('c1/none/x')).toBeUndefined();
    await storage.delete('c1/none/x');
  });

  it('deletes one file, or a folder with everything under it (and nothing beside it)', async () => {
    const storage = make();
    for (const key of ['c2/r1/a', 'c2/r1/thumbs_a/1x1_a', 'c2/r10/a', 'c2/r2/a'])
      await storage.write(key, Buffer.from(key));
    await storage.delete('c2/r2/a');
    expect(await storage.stat('c2/r2/a')).toBeUndefined();
    await storage.deletePrefix('c2/r1');
    expect(await storage.stat('c2/r1/a')).toBeUndefined();
    expect(await storage.stat('c2/r1/thumbs_a/1x1_a')).toBeUndefined();
    // `c2/r1` is a folder, not a text prefix: `c2/r10` stays.
    expect(await text(await storage.read('c2/r10/a'))).toBe('c2/r10/a');
  });
});

describe('the record API on S3', () => {
  it('uploads, serves (with ranges and thumbnails) and removes files kept in the bucket', async () => {
    const { app, cleanup } = await tempApp(
      [
        {
          name: 'docs',
          ...OPEN_RULES,
          fields: [{ name: 'file', type: 'file', maxSelect: 1, thumbs: ['10x10'] }],
        },
      ],
      { s3, rateLimit: false },
    );
    const server = await app.listen({ port: 0 });
    try {
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
        'base64',
      );
      const form = new FormData();
      form.append('file', new Blob([png]), 'dot.png');
      const created: any = await (
        await fetch(`${server.url}/api/collections/docs/records`, { method: 'POST', body: form })
      ).json();
      const key = `${app.records.collection('docs').id}/${created.id}/${created.file}`;
      const storage = new S3Storage(s3);
      expect((await storage.stat(key))?.size).toBe(png.length);
      const res = await fetch(`${server.url}/api/files/docs/${created.id}/${created.file}`);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(Buffer.from(await res.arrayBuffer())).toEqual(png);
      const part = await fetch(`${server.url}/api/files/docs/${created.id}/${created.file}`, {
        headers: { range: 'bytes=0-3' },
      });
      expect(part.status).toBe(206);
      expect(Buffer.from(await part.arrayBuffer())).toEqual(png.subarray(0, 4));
      const thumb = await fetch(`${server.url}/api/files/docs/${created.id}/${created.file}?thumb=10x10`);
      expect(thumb.status).toBe(200);
      expect(
        await storage.stat(
          `${app.records.collection('docs').id}/${created.id}/thumbs_${created.file}/10x10_${created.file}`,
        ),
      ).toBeDefined();
      expect(
        (await fetch(`${server.url}/api/collections/docs/records/${created.id}`, { method: 'DELETE' })).status,
      ).toBe(204);
      for (let i = 0; i < 50 && (await storage.stat(key)); i++) await new Promise((r) => setTimeout(r, 20));
      expect(await storage.stat(key)).toBeUndefined();
    } finally {
      await server.close();
      await cleanup();
    }
  });
});

describe('--s3 URLs', () => {
  it('read the endpoint, bucket, keys, region and path style; refuse what is not one', () => {
    expect(parseS3Url('s3://AK:S%2Fx@s3.eu-west-1.amazonaws.com/photos?region=eu-west-1')).toEqual({
      bucket: 'photos',
      region: 'eu-west-1',
      endpoint: 'https://s3.eu-west-1.amazonaws.com',
      accessKey: 'AK',
      secret: 'S/x',
      forcePathStyle: false,
    });
    expect(() => parseS3Url('https://a:b@host/bucket')).toThrow(/s3:\/\//);
    expect(() => parseS3Url('s3://host/bucket')).toThrow(/access key/);
    expect(() => parseS3Url('s3://a:b@host/')).toThrow(/bucket/);
  });
});
