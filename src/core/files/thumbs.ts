// Image thumbnails as PocketBase makes them, generated once and kept in storage beside the original:
// `WxH` crops from the center, `WxHt` from the top, `WxHb` from the bottom, `WxHf` fits inside, `0xH` and `Wx0`
// keep the aspect ratio.
import type { FileStorage } from './storage.js';

/** PocketBase always allows this size (its dashboard's previews). */
export const DEFAULT_THUMB = '100x100';
const SIZE = /^(\d+)x(\d+)([tbf])?$/;
/** The types a thumbnail can be made of (and is written in). */
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Where the thumbnails of the file at `key` live; removed with it. */
export function thumbsFolder(key: string): string {
  const slash = key.lastIndexOf('/');
  return `${key.slice(0, slash)}/thumbs_${key.slice(slash + 1)}`;
}

function thumbKey(key: string, size: string): string {
  return `${thumbsFolder(key)}/${size}_${key.slice(key.lastIndexOf('/') + 1)}`;
}

/** The thumbnail `size` of an image the field allows it for; undefined means: serve the original. */
export function thumbSize(size: string | undefined, allowed: string[], mime: string): string | undefined {
  if (!size || !IMAGE_TYPES.has(mime) || !SIZE.test(size)) return undefined;
  const [, w, h] = SIZE.exec(size)!;
  if (w === '0' && h === '0') return undefined;
  return size === DEFAULT_THUMB || allowed.includes(size) ? size : undefined;
}

async function readAll(storage: FileStorage, key: string): Promise<Buffer | undefined> {
  const stream = await storage.read(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function render(original: Buffer, size: string): Promise<Buffer> {
  const { default: sharp } = await import('sharp');
  const [, w, h, mode] = SIZE.exec(size)!;
  const width = Number(w) || undefined;
  const height = Number(h) || undefined;
  const image = sharp(original, { animated: false }).rotate();
  if (!width || !height) return image.resize({ width, height }).toBuffer();
  if (mode === 'f') return image.resize({ width, height, fit: 'inside' }).toBuffer();
  const position = mode === 't' ? 'top' : mode === 'b' ? 'bottom' : 'centre';
  return image.resize({ width, height, fit: 'cover', position }).toBuffer();
}

export class Thumbnails {
  /** Thumbnails being made now, so that concurrent requests for one make it once. */
  private readonly making = new Map<string, Promise<string>>();

  constructor(private readonly storage: FileStorage) {}

  /**
   * The key of the `size` thumbnail of the image at `key`, made and stored the first time it is asked for. An
   * image that cannot be read as one answers the original's key.
   */
  async keyFor(key: string, size: string): Promise<string> {
    const target = thumbKey(key, size);
    if (await this.storage.stat(target)) return target;
    let pending = this.making.get(target);
    if (!pending) {
      pending = this.make(key, size, target).finally(() => this.making.delete(target));
      this.making.set(target, pending);
    }
    return pending;
  }

  private async make(key: string, size: string, target: string): Promise<string> {
    const original = await readAll(this.storage, key);
    if (!original) return key;
    let thumb: Buffer;
    try {
      thumb = await render(original, size);
    } catch (err) {
      console.error(`[satchel] could not make the ${size} thumbnail of ${key}:`, (err as Error).message);
      return key;
    }
    await this.storage.write(target, thumb);
    return target;
  }
}
