// Builds an app over one of examples/: its own collections and pb_hooks, a temporary data directory, and the
// options its serve.json flags stand for (so a test sees what `npm run example -- <name>` serves).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { createApp, type AppOptions, type SatchelApp } from '../../src/app.js';
import { signIn } from '../helpers/auth.js';
import { send } from '../helpers/scenario.js';

export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The options `satchel serve` derives from the example's serve.json flags. */
function serveOptions(name: string): AppOptions {
  const { flags = {} } = JSON.parse(readFileSync(join(EXAMPLES_DIR, name, 'serve.json'), 'utf8')) as {
    flags?: Record<string, string>;
  };
  const options: AppOptions = {};
  if (flags.errors) options.errors = flags.errors as AppOptions['errors'];
  if (flags['put-user']) options.putUser = flags['put-user'] !== 'off';
  if (flags['rate-limit'] === 'off') options.rateLimit = false;
  return options;
}

export interface ExampleApp {
  app: SatchelApp;
  dataDir: string;
  cleanup(): Promise<void>;
}

/** The example's app with its hooks loaded; `options` override what its serve.json says (dataDir: a new temp dir). */
export async function exampleApp(name: string, options: AppOptions = {}): Promise<ExampleApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), `satchel-${name.slice(0, 3)}-`));
  const app = await createApp({
    ...serveOptions(name),
    ...options,
    collectionsDir: join(EXAMPLES_DIR, name, 'collections'),
    dataDir,
  });
  try {
    const loaded = await app.loadHooks(join(EXAMPLES_DIR, name, 'pb_hooks'));
    expect(loaded.length).toBeGreaterThan(0);
  } catch (err) {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    app,
    dataDir,
    cleanup: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates a superuser and signs it in; returns its token. */
export async function superuserToken(app: SatchelApp, email = 'admin@example.com'): Promise<string> {
  await app.auth.upsertSuperuser(email, 'admin-password-1');
  return (await signIn(app, '_superusers', email, 'admin-password-1')).token as string;
}

/** Sends a request and returns status, headers and the parsed body (undefined when empty). */
export async function call(
  app: SatchelApp,
  method: string,
  url: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await send(app, { method, url, body: options.body, headers: options.headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

/** Sorted keys, for exact key-set checks. */
export function keys(value: object): string[] {
  return Object.keys(value).sort();
}

/** Closes the database under a running app: every later write fails inside the engine, as a broken disk would. */
export function breakDatabase(app: SatchelApp): Promise<void> {
  return app.engine.store.close();
}
