// The command line as a user meets it: help, refusals with one-line errors, env vars, and a clean shutdown.
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteDriver as Sqlite } from '../../src/core/db/sqlite/driver.js';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  freePort,
  makeTempDir,
  runCli,
  startServer,
  writeCollection,
  type CliResult,
} from './helpers/server.js';

const FLAGS = ['--http', '--dir', '--collections'];

const posts = {
  name: 'posts',
  listRule: '',
  viewRule: '',
  createRule: '',
  updateRule: '',
  deleteRule: '',
  fields: [
    { name: 'title', type: 'text', required: true, max: 100 },
    { name: 'views', type: 'number' },
  ],
};

afterAll(async () => {
  await cleanup();
});

/** A refusal as the brief defines it: exit 1, one line on stderr starting `satchel: `, no stack trace. */
function expectOneLineFailure(result: CliResult): string {
  expect(result.timedOut, `the command hung; output:\n${result.stdout}${result.stderr}`).toBe(false);
  expect(result.code, `stderr: ${result.stderr}`).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, `stderr: ${result.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(/^satchel: \S/);
  expect(result.stderr).not.toContain('    at ');
  expect(result.stdout).not.toContain('    at ');
  expect(result.stdout).not.toContain('Server started');
  return lines[0]!;
}

/** Empty data and collections dirs plus a free port, for a serve command that should fail. */
async function serveArgs(extra: string[] = []): Promise<string[]> {
  const port = await freePort();
  return [
    'serve',
    `--http=127.0.0.1:${port}`,
    `--dir=${makeTempDir('satchel-data-')}`,
    `--collections=${makeTempDir('satchel-collections-')}`,
    ...extra,
  ];
}

function integrityOf(dataDir: string): { check: unknown; rows: Record<string, unknown>[] } {
  const file = join(dataDir, 'data.db');
  expect(existsSync(file)).toBe(true);
  const db = new Sqlite(file, { fileMustExist: true });
  try {
    return {
      check: db.pragma('integrity_check', { simple: true }),
      rows: db.prepare('SELECT id, title, views FROM posts ORDER BY title').all() as Record<string, unknown>[],
    };
  } finally {
    db.close();
  }
}

describe('help', () => {
  it('`satchel --help` exits 0 and lists every flag', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('serve');
    for (const flag of FLAGS) expect(result.stdout).toContain(flag);
  });

  it.each([
    ['serve', '--help'],
    ['serve', '-h'],
    ['--help', 'serve'],
  ])('`satchel %s %s` exits 0 and lists every flag with its env var', async (...args) => {
    const result = await runCli(args);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    for (const flag of FLAGS) expect(result.stdout).toContain(flag);
    for (const env of ['SATCHEL_HTTP', 'SATCHEL_DIR', 'SATCHEL_COLLECTIONS']) expect(result.stdout).toContain(env);
    // Help never starts a server.
    expect(result.stdout).not.toContain('Server started');
    // Every flag is followed by at least two spaces before its text (a long one ran into it).
    for (const line of result.stdout.split('\n').filter((l) => /^ {2}--/.test(l)))
      expect(line).toMatch(/^ {2}--\S+ {2,}\S/);
  });
});

describe('refusals: exit 1 with a one-line `satchel:` error', () => {
  it('an unknown flag', async () => {
    const line = expectOneLineFailure(await runCli(await serveArgs(['--bogus=1'])));
    expect(line).toContain('--bogus');
  });

  it('an unknown command', async () => {
    const line = expectOneLineFailure(await runCli(['frobnicate']));
    expect(line).toContain('frobnicate');
  });

  it('a flag without its value', async () => {
    const line = expectOneLineFailure(await runCli(['serve', '--dir']));
    expect(line).toContain('--dir');
  });

  it.each(['nonsense', '127.0.0.1', '127.0.0.1:99999', ':8090', '127.0.0.1:port'])('--http=%s', async (value) => {
    const result = await runCli([
      'serve',
      `--http=${value}`,
      `--dir=${makeTempDir()}`,
      `--collections=${makeTempDir()}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain('--http');
  });

  it('--dir pointing at a regular file', async () => {
    const file = join(makeTempDir(), 'not-a-dir');
    writeFileSync(file, 'just a file\n');
    const port = await freePort();
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${port}`,
      `--dir=${file}`,
      `--collections=${makeTempDir()}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain(file);
  });

  it('--collections pointing at a regular file', async () => {
    const file = join(makeTempDir(), 'not-a-dir');
    writeFileSync(file, '{}\n');
    const port = await freePort();
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${port}`,
      `--dir=${makeTempDir()}`,
      `--collections=${file}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain(file);
  });

  it('a field of unknown type: the message names the file and the field', async () => {
    const collections = makeTempDir();
    writeCollection(collections, { name: 'widgets', fields: [{ name: 'shade', type: 'colour' }] });
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${await freePort()}`,
      `--dir=${makeTempDir()}`,
      `--collections=${collections}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain('widgets.json');
    expect(line).toContain('shade');
    expect(line).toContain('colour');
  });

  it('a misspelt option: the message names the file, the field and the key, and suggests the known one', async () => {
    const collections = makeTempDir();
    writeCollection(collections, {
      name: 'widgets',
      fields: [{ name: 'contact', type: 'email', onlyDomain: ['a.io'] }],
    });
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${await freePort()}`,
      `--dir=${makeTempDir()}`,
      `--collections=${collections}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain('widgets.json');
    expect(line).toContain('field "contact"');
    expect(line).toContain('unknown option "onlyDomain" (did you mean "onlyDomains"?)');
    expect(line).not.toContain('Expected never');
  });

  it('a text field with "min": "x": the message names the file, the field and the option', async () => {
    const collections = makeTempDir();
    writeCollection(collections, posts);
    writeCollection(collections, { name: 'widgets', fields: [{ name: 'label', type: 'text', min: 'x' }] });
    const dataDir = makeTempDir();
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${await freePort()}`,
      `--dir=${dataDir}`,
      `--collections=${collections}`,
    ]);
    const line = expectOneLineFailure(result);
    expect(line).toContain('widgets.json');
    expect(line).toContain('label');
    expect(line).toContain('min');
    expect(line).not.toContain('posts.json');
  });

  it('a collection file that is not JSON names the file', async () => {
    const collections = makeTempDir();
    writeFileSync(join(collections, 'broken.json'), '{ "name": "broken", ');
    const result = await runCli([
      'serve',
      `--http=127.0.0.1:${await freePort()}`,
      `--dir=${makeTempDir()}`,
      `--collections=${collections}`,
    ]);
    expect(expectOneLineFailure(result)).toContain('broken.json');
  });

  it('a port already in use', async () => {
    const blocker: Server = createServer();
    const port = await new Promise<number>((resolve, reject) => {
      blocker.once('error', reject);
      blocker.listen(0, '127.0.0.1', () => {
        const address = blocker.address();
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
    try {
      const result = await runCli([
        'serve',
        `--http=127.0.0.1:${port}`,
        `--dir=${makeTempDir()}`,
        `--collections=${makeTempDir()}`,
      ]);
      const line = expectOneLineFailure(result);
      expect(line).toMatch(/in use/i);
      expect(line).toContain(String(port));
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });
});

describe('serve', () => {
  it('prints the address it serves on, and accepts `--flag value` as well as `--flag=value`', async () => {
    const server = await startServer({
      collections: [posts],
      args: ({ port, dataDir, collectionsDir }) => [
        'serve',
        '--http',
        `127.0.0.1:${port}`,
        '--dir',
        dataDir,
        '--collections',
        collectionsDir,
      ],
    });
    try {
      expect(server.output()).toContain(`Server started at http://127.0.0.1:${server.port}`);
      expect(server.output()).toContain('created collection "posts"');
      const res = await fetch(`${server.url}/api/collections/posts/records`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ totalItems: 0, items: [] });
      expect(existsSync(join(server.dataDir, 'data.db'))).toBe(true);
    } finally {
      await server.stop();
    }
  });

  it('SATCHEL_HTTP, SATCHEL_DIR and SATCHEL_COLLECTIONS stand in for the flags', async () => {
    // A scratch working directory, so the defaults (./pb_data, ./collections) would be noticed if used.
    const cwd = makeTempDir('satchel-cwd-');
    const dataDir = makeTempDir('satchel-data-');
    const collectionsDir = makeTempDir('satchel-collections-');
    writeCollection(collectionsDir, posts);
    const viaEnv = await startServer({
      cwd,
      dataDir,
      collectionsDir,
      args: () => ['serve'],
      env: ({ port }) => ({
        SATCHEL_HTTP: `127.0.0.1:${port}`,
        SATCHEL_DIR: dataDir,
        SATCHEL_COLLECTIONS: collectionsDir,
      }),
    });
    const { port } = viaEnv;
    try {
      expect(viaEnv.output()).toContain(`Server started at http://127.0.0.1:${port}`);
      const res = await fetch(`http://127.0.0.1:${port}/api/collections/posts/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'via env' }),
      });
      expect(res.status).toBe(200);
      expect(existsSync(join(dataDir, 'data.db'))).toBe(true);
      // Nothing was written to the default ./pb_data of the working directory.
      expect(existsSync(join(cwd, 'pb_data'))).toBe(false);
    } finally {
      const exit = await viaEnv.stop();
      expect(exit.code).toBe(0);
    }
    expect(integrityOf(dataDir).rows.map((r) => r.title)).toEqual(['via env']);
  });

  it('a flag wins over its environment variable', async () => {
    const unused = join(makeTempDir(), 'unused');
    const server = await startServer({
      collections: [posts],
      env: { SATCHEL_HTTP: 'nonsense', SATCHEL_DIR: unused },
    });
    try {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      expect(existsSync(join(server.dataDir, 'data.db'))).toBe(true);
      expect(existsSync(unused)).toBe(false);
    } finally {
      await server.stop();
    }
  });

  it('an invalid SATCHEL_HTTP is refused like the flag', async () => {
    const result = await runCli(['serve', `--dir=${makeTempDir()}`, `--collections=${makeTempDir()}`], {
      env: { SATCHEL_HTTP: 'nonsense' },
    });
    expect(expectOneLineFailure(result)).toContain('nonsense');
  });
});

describe('shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('%s: exit 0, says stopped, and data.db is intact', async (signal) => {
    const server = await startServer({ collections: [posts] });
    for (const title of ['one', 'two', 'three']) {
      const res = await fetch(`${server.url}/api/collections/posts/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title, views: title.length }),
      });
      expect(res.status).toBe(200);
    }
    const exit = await server.stop(signal);
    expect(exit.timedOut).toBe(false);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(0);
    expect(exit.output).toContain('stopped');
    expect(exit.output).not.toContain('    at ');

    const { check, rows } = integrityOf(server.dataDir);
    expect(check).toBe('ok');
    expect(rows.map((r) => [r.title, r.views])).toEqual([
      ['one', 3],
      ['three', 5],
      ['two', 3],
    ]);

    // The port is released: nothing answers any more.
    await expect(fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2_000) })).rejects.toThrow();
  });

  /**
   * Starts a POST whose body arrives slowly: half of it now, the rest when `sendRest()` is called.
   * `keepAlive: false` sends `Connection: close`; otherwise the connection is kept alive, as browsers and fetch do.
   */
  function slowPost(url: string, payload: object, keepAlive: boolean) {
    const body = JSON.stringify(payload);
    const half = Math.floor(body.length / 2);
    let sendRest!: () => void;
    const response = new Promise<{ status: number; text: string; at: number }>((resolve, reject) => {
      const req = request(
        `${url}/api/collections/posts/records`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
          timeout: 10_000,
          ...(keepAlive ? {} : { agent: false }),
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text, at: Date.now() }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.write(body.slice(0, half));
      sendRest = () => req.end(body.slice(half));
    });
    return { response, sendRest: () => sendRest() };
  }

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('SIGTERM lets a request that is still arriving finish before exiting', async () => {
    const server = await startServer({ collections: [posts] });
    const slow = slowPost(server.url, { title: 'in flight', views: 7 }, false);

    await pause(300);
    server.process.kill('SIGTERM');
    await pause(300);
    // Still running: it is waiting for this request.
    expect(server.process.exitCode).toBeNull();
    slow.sendRest();

    const answer = await slow.response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ title: 'in flight', views: 7 });

    const exit = await server.stop();
    expect(exit.timedOut).toBe(false);
    expect(exit.code).toBe(0);
    expect(exit.output).toContain('stopped');

    const { check, rows } = integrityOf(server.dataDir);
    expect(check).toBe('ok');
    expect(rows.map((r) => r.title)).toEqual(['in flight']);
  });

  // A keep-alive connection busy at shutdown must close once its response is sent, not at keep-alive timeout.
  it('SIGTERM: once the in-flight keep-alive request is answered, the server exits promptly', async () => {
    const server = await startServer({ collections: [posts] });
    const exited = new Promise<number>((resolve) => server.process.once('exit', () => resolve(Date.now())));
    const slow = slowPost(server.url, { title: 'kept alive' }, true);

    await pause(300);
    server.process.kill('SIGTERM');
    await pause(300);
    slow.sendRest();
    const answer = await slow.response;
    expect(answer.status).toBe(200);

    const exit = await server.stop();
    expect(exit.code).toBe(0);
    const lingered = (await exited) - answer.at;
    expect(lingered, `exited ${lingered} ms after the last response`).toBeLessThan(2_000);
  });
});
