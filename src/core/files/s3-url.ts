// `--s3=URL` / SATCHEL_S3: S3-compatible storage as one URL, e.g.
//   s3://ACCESS_KEY:SECRET@s3.eu-west-1.amazonaws.com/my-bucket?region=eu-west-1
//   s3+http://minio:minio123@127.0.0.1:9000/files?forcePathStyle=true      (plain http, a local MinIO)
import type { S3Options } from './s3-storage.js';

export function parseS3Url(text: string): S3Options {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`"${text}" is not a URL like s3://KEY:SECRET@host/bucket?region=us-east-1`);
  }
  if (url.protocol !== 's3:' && url.protocol !== 's3+http:') {
    throw new Error('the S3 URL must start with s3:// (https) or s3+http:// (plain http)');
  }
  const bucket = decodeURIComponent(url.pathname.replace(/^\/+|\/+$/g, ''));
  if (!url.hostname || !bucket || bucket.includes('/'))
    throw new Error('the S3 URL needs a host and a bucket: s3://KEY:SECRET@host/bucket');
  if (!url.username || !url.password)
    throw new Error('the S3 URL needs an access key and a secret: s3://KEY:SECRET@host/bucket');
  const scheme = url.protocol === 's3+http:' ? 'http' : 'https';
  return {
    bucket,
    region: url.searchParams.get('region') ?? 'us-east-1',
    endpoint: `${scheme}://${url.host}`,
    accessKey: decodeURIComponent(url.username),
    secret: decodeURIComponent(url.password),
    forcePathStyle: ['1', 'true', 'yes'].includes((url.searchParams.get('forcePathStyle') ?? '').toLowerCase()),
  };
}
