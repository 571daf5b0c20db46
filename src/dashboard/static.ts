// The built dashboard on disk (dist/ui, made by `vite build ui`): where it is, and its files as responses need them.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Where dist/ui is, seen from the running module: dist/cli.js is one bundled file (dist/ui is beside it),
 * dist/dashboard/static.js is tsc's output (dist/ui is one level up), src/dashboard/static.ts runs from a checkout
 * (the repository's dist/ui). This folder is not src/ui because tsc would write it to dist/ui, Vite's output. undefined when the UI was never built: the caller falls back to the minimal page.
 */
export function findDashboardDir(): string | undefined {
  for (const relative of ['./ui/', '../ui/', '../../dist/ui/']) {
    const dir = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types worth compressing; images and fonts already are. */
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json', '.map', '.txt']);

/** An asset's name is one hashed file name Vite made: no folders, so no way out of assets/. */
const ASSET_NAME = /^[\w-]+(\.[\w-]+)+$/;

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  /** The gzip form, when the type compresses. */
  gzipped: Uint8Array<ArrayBuffer> | undefined;
}

/** Reads the dashboard's files once each: they are immutable (hashed names) until the next build and restart. */
export class DashboardFiles {
  readonly indexHtml: string;
  private readonly assets = new Map<string, Promise<Asset | undefined>>();

  constructor(private readonly dir: string) {
    this.indexHtml = readFileSync(join(dir, 'index.html'), 'utf8');
  }

  /** The asset `assets/<name>`, or undefined when there is none by that name. */
  asset(name: string): Promise<Asset | undefined> {
    if (!ASSET_NAME.test(name)) return Promise.resolve(undefined);
    let found = this.assets.get(name);
    if (!found) {
      found = this.load(name);
      this.assets.set(name, found);
      // A miss is not cached: a bad name must not grow the map.
      void found.then((asset) => asset || this.assets.delete(name));
    }
    return found;
  }

  private async load(name: string): Promise<Asset | undefined> {
    const ext = extname(name).toLowerCase();
    try {
      // Copied into plain ArrayBuffer-backed arrays, the form a response body takes.
      const body = new Uint8Array(await readFile(join(this.dir, 'assets', name)));
      const type = TYPES[ext] ?? 'application/octet-stream';
      return { body, type, gzipped: COMPRESSIBLE.has(ext) ? new Uint8Array(gzipSync(body)) : undefined };
    } catch {
      return undefined;
    }
  }
}
