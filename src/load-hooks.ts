// Loads a pb_hooks folder: every top-level *.ts / *.js / *.mjs file, in name order, each exporting a
// function that receives the app. TypeScript goes through tsx, loaded only when a .ts file is there.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Thrown when a hook file cannot be loaded or does not export a function; names the file. */
export class HookLoadError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'HookLoadError';
  }
}

const HOOK_FILE = /^[^.].*\.(ts|mts|js|mjs)$/;

/** Imports every hook file of `dir` and calls its export with `app`; returns the files loaded. */
export async function loadHooks<App>(dir: string, app: App): Promise<string[]> {
  const root = resolve(dir);
  if (!existsSync(root)) return [];
  if (!statSync(root).isDirectory()) throw new HookLoadError(root, 'not a directory');
  const names = readdirSync(root).sort();
  // PocketBase's JSVM hooks (routerAdd, onRecordCreate… as globals) would fail with "routerAdd is not defined".
  const pocketbaseHook = names.find((name) => name.endsWith('.pb.js') || name.endsWith('.pb.ts'));
  if (pocketbaseHook) {
    throw new HookLoadError(
      join(root, pocketbaseHook),
      "PocketBase's JavaScript hooks (*.pb.js, with globals such as routerAdd) are not supported. " +
        'Satchel loads modules that export a function receiving the app: export default (app) => { app.onRecordCreate(...) }. ' +
        'See "Extending Satchel" in the README.',
    );
  }
  const files = names.filter((name) => HOOK_FILE.test(name) && !name.endsWith('.d.ts')).map((name) => join(root, name));
  for (const file of files) {
    const module = await importHookFile(file);
    // A file tsx compiles as CommonJS arrives with its exports under `default`.
    const inner = module.default as Record<string, unknown> | undefined;
    const register = (typeof inner === 'function' ? inner : (inner?.default ?? module.register)) as unknown;
    if (typeof register !== 'function') {
      throw new HookLoadError(file, 'must export a function (export default function (app) { ... })');
    }
    try {
      await (register as (app: App) => unknown)(app);
    } catch (err) {
      throw new HookLoadError(file, `failed while registering: ${(err as Error)?.message ?? String(err)}`);
    }
  }
  return files;
}

let loads = 0;

async function importHookFile(file: string): Promise<Record<string, unknown>> {
  // A fresh URL each time, so loading a folder again (tests, a restart in-process) sees the files as they are now.
  const url = `${pathToFileURL(file).href}?load=${++loads}`;
  try {
    if (/\.m?ts$/.test(file)) {
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }
    return (await import(url)) as Record<string, unknown>;
  } catch (err) {
    const message = (err as Error)?.message ?? String(err);
    throw new HookLoadError(file, `cannot be loaded: ${message.split('\n')[0]}`);
  }
}
