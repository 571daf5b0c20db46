// multipart/form-data, streamed: text parts become values, file parts go to temporary files as they arrive (never
// whole into memory) and become UploadedFiles; past the body limit the request is a 413. The temporary files are
// removed when the response is done (the write copied what it kept into storage).
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type busboy from 'busboy';
import type { Context } from 'hono';
import { ApiError } from '../core/errors.js';
import { UploadedFile } from '../core/files/upload.js';
import { randomString } from '../core/ids.js';
import { DEFAULT_BODY_LIMIT } from './middlewares/body-limit.js';
import { nodeRequest } from './middlewares/node-response.js';

/** One part of a form: its text or its upload. */
export type FormPart = [name: string, value: string | UploadedFile];

const INVALID = 'Failed to load the submitted data due to invalid formatting.';
const UPLOAD_DIR = join(tmpdir(), 'satchel-uploads');
const MAX_PARTS = 10_000;

/** Removes an upload's temporary files (best effort: the OS cleans its temp dir too). */
export function removeTempFiles(paths: string[]): Promise<unknown> {
  return Promise.all(paths.map((path) => rm(path, { force: true })));
}

/** The parts of a multipart body, read from Node's request stream (or, without one, from the web Request). */
export async function readMultipart(c: Context): Promise<FormPart[]> {
  const incoming = nodeRequest(c);
  const limit = (c.get('bodyLimit') as number | undefined) ?? DEFAULT_BODY_LIMIT;
  if (!incoming || incoming.readableDidRead) return readWebForm(c);
  mkdirSync(UPLOAD_DIR, { recursive: true });
  const temp: string[] = [];
  // However the request ends, its temporary files go once the route has answered (the prelude removes them):
  // not when the client goes away, while the write may still be copying them into storage.
  c.set('tempFiles', temp);
  try {
    // Loaded on the first multipart request, not at start.
    const { default: makeParser } = await import('busboy');
    return await parse(makeParser, incoming, limit, temp);
  } catch (err) {
    await removeTempFiles(temp);
    throw err;
  }
}

function parse(
  makeParser: typeof busboy,
  incoming: IncomingMessage,
  limit: number,
  temp: string[],
): Promise<FormPart[]> {
  return new Promise<FormPart[]>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = makeParser({
        headers: incoming.headers,
        limits: { fieldSize: limit, fileSize: limit, parts: MAX_PARTS },
      });
    } catch {
      reject(ApiError.badRequest(INVALID));
      return;
    }
    const parts: FormPart[] = [];
    const writes: Promise<void>[] = [];
    let received = 0;
    let failed = false;
    const fail = (err: unknown) => {
      if (failed) return;
      failed = true;
      incoming.unpipe(parser);
      incoming.resume(); // drain what is left, so the 4xx can still be written
      reject(err);
    };
    incoming.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) fail(ApiError.tooLarge(`The request body is larger than ${limit} bytes.`));
    });
    parser.on('field', (name, value) => parts.push([name, value]));
    parser.on('file', (name, stream, info) => {
      const path = join(UPLOAD_DIR, `${Date.now()}-${randomString(16)}`);
      temp.push(path);
      const index = parts.push([name, '']) - 1;
      // The file is piped from the first byte: a listener added later would miss what already flowed.
      const out = createWriteStream(path);
      stream.pipe(out);
      writes.push(
        new Promise<void>((done, broke) => {
          out.once('finish', done);
          out.once('error', broke);
          stream.once('error', broke);
        }).then(() => {
          parts[index] = [name, UploadedFile.fromTempFile(info.filename ?? '', path, out.bytesWritten)];
        }),
      );
    });
    parser.on('partsLimit', () => fail(ApiError.badRequest(`A form may have at most ${MAX_PARTS} parts.`)));
    parser.on('error', () => fail(ApiError.badRequest(INVALID)));
    parser.on('close', () => {
      Promise.all(writes).then(
        () => {
          if (!failed) resolve(parts);
        },
        (err: unknown) => fail(err),
      );
    });
    incoming.pipe(parser);
  });
}

/** Without Node's stream (app.fetch in tests, other runtimes): the web Request's form, files in memory. */
async function readWebForm(c: Context): Promise<FormPart[]> {
  let form: FormData;
  try {
    form = await c.req.raw.formData();
  } catch {
    throw ApiError.badRequest(INVALID);
  }
  const parts: FormPart[] = [];
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') parts.push([name, value]);
    else parts.push([name, UploadedFile.fromBuffer(value.name, Buffer.from(await value.arrayBuffer()))]);
  }
  return parts;
}
