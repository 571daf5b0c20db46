// The backups API (PocketBase's, the SDK's pb.backups): list, create, upload, download with a file token, delete
// and restore; superusers only.
import { Readable } from 'node:stream';
import type { Hono } from 'hono';
import type { AuthService } from '../core/auth/service.js';
import type { BackupService } from '../core/backups/index.js';
import { formatDateTime } from '../core/datetime.js';
import { ApiError } from '../core/errors.js';
import { UploadedFile } from '../core/files/upload.js';
import { requireSuperuser } from './auth-guards.js';
import type { AppEnv } from './context.js';
import { readMultipart } from './multipart.js';
import { readBody } from './request-body.js';

/** Archives can be far larger than a record's body: a superuser's upload is bounded by the disk, as in PocketBase. */
const UPLOAD_LIMIT = Number.MAX_SAFE_INTEGER;

export function bindBackupRoutes(app: Hono<AppEnv>, backups: BackupService, auth: AuthService): void {
  app.get('/api/backups', async (c) => {
    requireSuperuser(c);
    const list = await backups.list();
    return c.json(list.map((b) => ({ key: b.key, size: b.size, modified: formatDateTime(b.modified) })));
  });

  app.post('/api/backups', async (c) => {
    requireSuperuser(c);
    const { name } = await readBody(c);
    await backups.create(typeof name === 'string' ? name : undefined);
    return c.body(null, 204);
  });

  // POST /api/backups/upload, as a parameter: a static segment beside /api/backups/:key/restore would cost every
  // request Hono's slower router (see test/api/router.test.ts).
  app.post('/api/backups/:action', async (c) => {
    if (c.req.param('action') !== 'upload') throw ApiError.notFound();
    requireSuperuser(c);
    c.set('bodyLimit', UPLOAD_LIMIT);
    const file = (await readMultipart(c)).find(([name, value]) => name === 'file' && value instanceof UploadedFile);
    if (!file) {
      throw ApiError.badRequest('An error occurred while validating the submitted data.', {
        file: { code: 'validation_required', message: 'Missing required value.' },
      });
    }
    const upload = file[1] as UploadedFile;
    // The temporary file when the upload streamed to one; the bytes when it came through app.fetch.
    await backups.upload(upload.originalName, upload.tempPath ?? (upload.source() as Buffer));
    return c.body(null, 204);
  });

  app.get('/api/backups/:key', async (c) => {
    // A download is a plain link (no Authorization header): the superuser's short-lived file token says who asks.
    const access = await auth.authenticateFileToken(c.req.query('token') ?? '');
    if (!access.superuser) throw ApiError.forbidden('Insufficient permissions to access the resource.');
    const { info, stream } = await backups.read(c.req.param('key'));
    return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
      headers: {
        'Content-Type': 'application/zip',
        'Content-Length': String(info.size),
        'Content-Disposition': `attachment; filename="${info.key}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  });

  app.delete('/api/backups/:key', async (c) => {
    requireSuperuser(c);
    await backups.delete(c.req.param('key'));
    return c.body(null, 204);
  });

  app.post('/api/backups/:key/restore', async (c) => {
    requireSuperuser(c);
    await backups.restore(c.req.param('key'));
    return c.body(null, 204);
  });
}
