// Test helpers that run the real CLI (`node dist/cli.js`) as a child process, on loopback only.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (test/server/helpers -> ../../..). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The built CLI; `npm test` builds it first when it is stale. */
export const CLI = join(ROOT, 'dist', 'cli.js');

const HEALTH_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 10_000;
const CLI_TIMEOUT_MS = 15_000;

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

// Never leave a server behind, even when a test run is torn down abruptly.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

let scratchCwd: string | undefined;

/** The working directory of spawned CLIs: a temp dir, so a default `./pb_data` never lands in the repository. */
export function defaultCwd(): string {
  return (scratchCwd ??= makeTempDir('satchel-cwd-'));
}

/** A fresh temporary directory, removed by cleanup(). */
export function makeTempDir(prefix = 'satchel-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

/** Writes `<dir>/<name>.json` holding `definition`. */
export function writeCollection(dir: string, definition: { name: string } & Record<string, unknown>): string {
  const file = join(dir, `${definition.name}.json`);
  writeFileSync(file, JSON.stringify(definition, null, 2));
  return file;
}

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close((err) => (err ? reject(err) : resolve(port)));
    });
  });
}

/** The environment for a child: ours without any SATCHEL_* variable, plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SATCHEL_')) env[key] = value;
  return { ...env, NO_COLOR: '1', ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the child exits, or with undefined after `ms`. */
function waitForExit(child: ChildProcess, ms: number): Promise<Exit | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(undefined);
    }, ms);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal });
    };
    child.once('exit', onExit);
  });
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
  /** True when the command had to be killed because it outlived the timeout. */
  timedOut: boolean;
}

/** Runs `node dist/cli.js ...args` to completion (killed after `timeoutMs`). */
export async function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? defaultCwd(),
    env: childEnv(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  let exit = await waitForExit(child, options.timeoutMs ?? CLI_TIMEOUT_MS);
  const timedOut = exit === undefined;
  if (!exit) {
    child.kill('SIGKILL');
    exit = (await waitForExit(child, 5_000)) ?? { code: null, signal: 'SIGKILL' };
  }
  // Let the pipes drain after exit.
  await Promise.all([closed(child.stdout!), closed(child.stderr!)]);
  children.delete(child);
  return { ...exit, stdout, stderr, timedOut };
}

function closed(stream: NodeJS.ReadableStream & { readableEnded?: boolean; destroyed?: boolean }): Promise<void> {
  if (stream.readableEnded || stream.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 2_000);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export interface StartOptions {
  /** Data directory; a new temp dir when omitted. */
  dataDir?: string;
  /** Collections directory; a new temp dir when omitted. */
  collectionsDir?: string;
  /** Collection definitions written to the collections dir before starting. */
  collections?: ({ name: string } & Record<string, unknown>)[];
  /** Extra environment variables, or a function of the chosen port and dirs that returns them. */
  env?: Record<string, string> | ((ctx: LaunchContext) => Record<string, string>);
  /** Working directory of the process (default: a scratch temp dir). */
  cwd?: string;
  /**
   * Build the argv yourself (after `dist/cli.js`); given the chosen port. Default:
   * `serve --http=127.0.0.1:<port> --dir=<dataDir> --collections=<collectionsDir>`.
   */
  args?: (ctx: LaunchContext) => string[];
}

export interface LaunchContext {
  port: number;
  dataDir: string;
  collectionsDir: string;
}

export interface TestServer {
  url: string;
  port: number;
  dataDir: string;
  collectionsDir: string;
  process: ChildProcess;
  /** Everything the server printed so far, stdout and stderr interleaved. */
  output(): string;
  /** Sends `signal` (SIGTERM by default) and waits (bounded) for exit; SIGKILLs a server that hangs. */
  stop(signal?: NodeJS.Signals): Promise<Exit & { output: string; timedOut: boolean }>;
}

async function isHealthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1_000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `satchel serve` on a free loopback port and waits (at most 10 s) for /api/health to answer 200. */
export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? makeTempDir('satchel-data-');
  const collectionsDir = options.collectionsDir ?? makeTempDir('satchel-collections-');
  for (const definition of options.collections ?? []) writeCollection(collectionsDir, definition);

  // The free port may be taken between the probe and the bind; try a few ports before giving up.
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      return await launch(port, dataDir, collectionsDir, options);
    } catch (err) {
      lastError = err as Error;
      if (!/already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError!;
}

async function launch(
  port: number,
  dataDir: string,
  collectionsDir: string,
  options: StartOptions,
): Promise<TestServer> {
  const ctx: LaunchContext = { port, dataDir, collectionsDir };
  const args = options.args
    ? options.args(ctx)
    : ['serve', `--http=127.0.0.1:${port}`, `--dir=${dataDir}`, `--collections=${collectionsDir}`];
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? defaultCwd(),
    env: childEnv(typeof options.env === 'function' ? options.env(ctx) : options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    let exit = await waitForExit(child, STOP_TIMEOUT_MS);
    const timedOut = exit === undefined;
    if (!exit) {
      child.kill('SIGKILL');
      exit = (await waitForExit(child, 5_000)) ?? { code: null, signal: 'SIGKILL' };
    }
    await Promise.all([closed(child.stdout!), closed(child.stderr!)]);
    children.delete(child);
    return { ...exit, output, timedOut };
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    // Healthy, and done printing its start-up text (which a test may read): the server answers a moment before
    // it prints "Server started".
    if ((await isHealthy(url)) && output.includes('Server started at')) {
      return { url, port, dataDir, collectionsDir, process: child, output: () => output, stop };
    }
    await sleep(100);
  }
  const exited = child.exitCode !== null || child.signalCode !== null;
  const result = await stop('SIGKILL');
  throw new Error(
    `satchel did not become healthy at ${url} ` +
      (exited ? `(exited with code ${result.code})` : `within ${HEALTH_TIMEOUT_MS} ms`) +
      `; output:\n${result.output}`,
  );
}

/** Kills every server still running and removes the temp dirs; call from afterAll. */
export async function cleanup(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await waitForExit(child, 5_000);
      children.delete(child);
    }),
  );
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
  scratchCwd = undefined;
}
