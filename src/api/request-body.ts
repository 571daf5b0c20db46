// Reads a create/update body: JSON, multipart/form-data (with PocketBase's @jsonPayload) or urlencoded.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import { ApiError } from '../core/errors.js';
import { batchSubRequest } from './context.js';
import { DEFAULT_BODY_LIMIT } from './middlewares/body-limit.js';
import { nodeRequest, requestHeader } from './middlewares/node-response.js';
import { readMultipart } from './multipart.js';

const INVALID = 'Failed to load the submitted data due to invalid formatting.';
const JSON_PAYLOAD = '@jsonPayload';

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * How deep a body's objects and lists may nest. Deeper input is refused before anything walks it recursively
 * (validation, serialization), where it would exhaust the stack.
 */
export const MAX_BODY_DEPTH = 64;

/** True when JSON text has fewer than `max` opening brackets, so it cannot nest deeper than `max`. */
function shallowText(text: string, max: number): boolean {
  let opened = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 91) && ++opened >= max) return false;
  }
  return true;
}

/** True when `value` nests objects or lists deeper than `max`; iterative, so any input is safe to check. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node))
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

/** Form values are text; PocketBase infers booleans and numbers from them. */
function inferFormValue(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(value)) return Number(value);
  return value;
}

/** Node's request stream as text, when nothing has read it yet; 413 past `max` bytes. */
function readIncoming(incoming: IncomingMessage, max: number): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
    });
    incoming.once('end', () => {
      if (size > max) reject(ApiError.tooLarge(`The request body is larger than ${max} bytes.`));
      else resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    incoming.once('error', reject);
  });
}

/**
 * The body as text. Served by Node with a declared length, it is read straight from Node's request: building the
 * web Request that `c.req.text()` reads costs more than everything else in a create. What was read is handed to
 * Hono's body cache, so a later `c.req.json()` in the same request sees the same body.
 */
async function bodyText(c: Context): Promise<string> {
  const incoming = nodeRequest(c);
  const untouched = incoming && !incoming.readableDidRead && Object.keys(c.req.bodyCache).length === 0;
  if (!untouched || requestHeader(c, 'content-length') === undefined || requestHeader(c, 'transfer-encoding')) {
    return c.req.text();
  }
  const text = readIncoming(incoming, (c.get('bodyLimit') as number | undefined) ?? DEFAULT_BODY_LIMIT);
  (c.req.bodyCache as { text?: Promise<string> }).text = text;
  return text;
}

/** The request body as a plain object; 400 for malformed or non-object bodies. */
export async function readBody(c: Context): Promise<Record<string, unknown>> {
  // A request of a batch: its body was read (and checked) with the batch.
  const sub = batchSubRequest(c.env);
  if (sub) return { ...sub.body };
  const type = (requestHeader(c, 'content-type') ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    return readForm(c);
  }
  const text = await bodyText(c);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw ApiError.badRequest(INVALID);
  }
  if (!isPlainObject(parsed)) throw ApiError.badRequest(INVALID);
  if (!shallowText(text, MAX_BODY_DEPTH) && nestsDeeperThan(parsed, MAX_BODY_DEPTH)) throw ApiError.badRequest(INVALID);
  return parsed;
}

async function readForm(c: Context): Promise<Record<string, unknown>> {
  const multipart = (requestHeader(c, 'content-type') ?? '').toLowerCase().startsWith('multipart/form-data');
  const form: Record<string, unknown> = {};
  if (multipart) {
    // A name sent once is one value; sent again, a list (as PocketBase reads a form).
    for (const [name, value] of await readMultipart(c)) {
      const parsed = typeof value === 'string' && name !== JSON_PAYLOAD ? inferFormValue(value) : value;
      if (!(name in form)) form[name] = parsed;
      else if (Array.isArray(form[name])) (form[name] as unknown[]).push(parsed);
      else form[name] = [form[name], parsed];
    }
  } else {
    let parsed: Record<string, unknown>;
    try {
      parsed = (await c.req.parseBody({ all: true })) as Record<string, unknown>;
    } catch {
      throw ApiError.badRequest(INVALID);
    }
    for (const [key, raw] of Object.entries(parsed)) {
      if (key === JSON_PAYLOAD) form[key] = raw;
      else form[key] = Array.isArray(raw) ? raw.map((v) => inferFormValue(String(v))) : inferFormValue(String(raw));
    }
  }
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(form)) if (key !== JSON_PAYLOAD) body[key] = value;
  // @jsonPayload parts carry typed values (objects, lists) as JSON; they win over plain parts.
  const payloads = form[JSON_PAYLOAD];
  for (const payload of Array.isArray(payloads) ? payloads : payloads === undefined ? [] : [payloads]) {
    if (typeof payload !== 'string') throw ApiError.badRequest(INVALID);
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      throw ApiError.badRequest(INVALID);
    }
    if (!isPlainObject(parsed) || nestsDeeperThan(parsed, MAX_BODY_DEPTH)) throw ApiError.badRequest(INVALID);
    Object.assign(body, parsed);
  }
  return body;
}
