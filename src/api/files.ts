// GET /api/files/{collection}/{recordId}/{filename} (downloads, ranges, thumbnails, protected files) and
// POST /api/files/token (the short-lived token protected files ask for), as PocketBase serves them.
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import { findFile } from '../core/files/find.js';
import { sniffType } from '../core/files/sniff.js';
import { thumbSize, Thumbnails } from '../core/files/thumbs.js';
import type { ByteRange, FileStorage } from '../core/files/storage.js';
import type { RecordService } from '../core/records/index.js';
import { ApiError } from '../core/errors.js';
import type { AppEnv } from './context.js';

/** User content is never a document that runs: no scripts, no plugins, no forms, sandboxed. */
const FILE_POLICY = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
const MIME_CACHE_SIZE = 1000;

/** `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`; null when unsatisfiable, undefined when absent or other. */
export function parseRange(header: string | undefined, size: number): ByteRange | null | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return null;
  return { start, end };
}

export function bindFileRoutes(
  app: Hono<AppEnv>,
  records: RecordService,
  auth: AuthService,
  storage: FileStorage,
): void {
  // Types are told by content once per file (a stored file never changes under its name).
  const mimes = new Map<string, string>();
  const mimeOf = async (key: string): Promise<string> => {
    const known = mimes.get(key);
    if (known) return known;
    const head = await storage.read(key, { start: 0, end: 4099 });
    const chunks: Buffer[] = [];
    for await (const chunk of head ?? []) chunks.push(chunk as Buffer);
    const mime = await sniffType(Buffer.concat(chunks));
    if (mimes.size >= MIME_CACHE_SIZE) mimes.delete(mimes.keys().next().value!);
    mimes.set(key, mime);
    return mime;
  };

  const thumbnails = new Thumbnails(storage);

  app.post('/api/files/token', async (c) => c.json({ token: await auth.fileToken(c.get('access')) }));

  app.get('/api/files/:collection/:recordId/:filename', async (c) => {
    const { collection, recordId, filename } = c.req.param();
    const token = c.req.query('token');
    const access = token ? await auth.authenticateFileToken(token) : c.get('access');
    const found = await findFile(records, collection, recordId, filename, access);
    // A thumbnail the field allows, of an image; any other `thumb` serves the original, as PocketBase does.
    let key = found.key;
    const size = thumbSize(c.req.query('thumb'), found.thumbs, await mimeOf(key));
    if (size) key = await thumbnails.keyFor(key, size);
    const stat = await storage.stat(key);
    if (!stat) throw ApiError.notFound('The requested file wasn\u2019t found.');
    const etag = `"${stat.size.toString(16)}-${stat.modified.getTime().toString(16)}"`;
    const headers: Record<string, string> = {
      'Content-Type': await mimeOf(key),
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Last-Modified': stat.modified.toUTCString(),
      'Content-Security-Policy': FILE_POLICY,
      'Content-Disposition': `${c.req.query('download') ? 'attachment' : 'inline'}; filename="${filename}"`,
      // Protected files are for one caller; others may be kept by any cache for a month.
      'Cache-Control': found.isProtected ? 'private, no-store' : 'max-age=2592000, stale-while-revalidate=86400',
    };
    if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
    const range = parseRange(c.req.header('range'), stat.size);
    if (range === null) return c.body(null, 416, { ...headers, 'Content-Range': `bytes */${stat.size}` });
    const stream = await storage.read(key, range);
    if (!stream) throw ApiError.notFound('The requested file wasn\u2019t found.');
    const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
    if (range) {
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${stat.size}`;
      headers['Content-Length'] = String(range.end - range.start + 1);
      return new Response(body, { status: 206, headers });
    }
    headers['Content-Length'] = String(stat.size);
    return new Response(body, { status: 200, headers });
  });
}
