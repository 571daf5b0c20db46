// The examples' one command, `npm run example -- <name>`, as a user runs it: a real process on a loopback port.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { cleanup, freePort, makeTempDir, ROOT } from '../server/helpers/server.js';

const START_TIMEOUT_MS = 60_000; // the command builds dist/ first when src/ changed
const STOP_TIMEOUT_MS = 10_000;

interface Example {
  url: string;
  output(): string;
  /** Ctrl+C: SIGINT to the command's process group, as a terminal sends it; resolves once it has exited. */
  stop(): Promise<boolean>;
}

const running = new Set<ChildProcess>();

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Kills what is left of a command: its whole process group (npm, the script and the server). */
async function kill(child: ChildProcess): Promise<void> {
  if (!(await exited(child, 0))) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    await exited(child, 5_000);
  }
  running.delete(child);
}

async function startExample(name: string, flags: string[]): Promise<Example> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // `detached` puts npm, the script and the server in one process group of their own, like a terminal's job.
  const child = spawn('npm', ['run', '--silent', 'example', '--', name, `--http=127.0.0.1:${port}`, ...flags], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  running.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
    const done = await exited(child, STOP_TIMEOUT_MS);
    await kill(child);
    return done;
  };
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await kill(child);
  throw new Error(`npm run example -- ${name} did not answer at ${url}; output:\n${output}`);
}

function post(url: string, body: unknown, method = 'POST'): Promise<Response> {
  return fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

afterEach(async () => {
  await Promise.all([...running].map(kill));
});
afterAll(async () => {
  await cleanup();
});

describe('npm run example -- <name>', () => {
  it("003: serves seed 003's request (201 with an integer id), counts up under concurrency, stops on Ctrl+C", async () => {
    const data = makeTempDir('satchel-example-003-');
    const example = await startExample('003', [`--dir=${data}`]);
    expect(example.output()).toContain('loaded hooks from');
    expect(example.output()).toContain(join('examples', '003-kebab-users', 'pb_hooks', 'kebab-users.ts'));

    const res = await post(`${example.url}/users`, {
      'last-name': 'Meere',
      'first-name': 'John',
      email: 'johnm@gmail.com',
    });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('{"last-name":"Meere","first-name":"John","email":"johnm@gmail.com","id":1}');

    const many = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        post(`${example.url}/users`, { 'last-name': `L${i}`, 'first-name': `F${i}`, email: `u${i}@example.com` }),
      ),
    );
    expect(many.map((r) => r.status)).toEqual(Array(20).fill(201));
    const ids = (await Promise.all(many.map(async (r) => ((await r.json()) as { id: number }).id))).sort(
      (a, b) => a - b,
    );
    expect(ids).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));

    const bad = await post(`${example.url}/users`, { 'last-name': 'Meere' });
    expect(bad.status).toBe(400);

    // The server finished its requests and closed the database (npm itself ends on the signal).
    expect(await example.stop()).toBe(true);
    expect(example.output()).toContain('SIGINT received');
    expect(example.output()).toMatch(/\nstopped\n/);
    // --dir replaced the example's own pb_data.
    expect(existsSync(join(data, 'data.db'))).toBe(true);
  });

  it('002: --put-user=off answers 404 until a superuser switches PUT /user on in the settings', async () => {
    const data = makeTempDir('satchel-example-002-');
    const example = await startExample('002', [`--dir=${data}`, '--put-user=off']);
    const body = {
      username: 'Angela.Pacocha95',
      password: 'deserunt',
      passwordConfirm: 'deserunt',
      email: 'Braulio98@gmail.com',
    };
    expect((await post(`${example.url}/user`, body, 'PUT')).status).toBe(404);

    // The README's way to make a superuser for an example: same data, same collections.
    const upsert = execFileSync(
      'npm',
      [
        'run',
        '--silent',
        'example',
        '--',
        '002',
        'superuser',
        'upsert',
        'admin@example.com',
        'admin-password-1',
        `--dir=${data}`,
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: START_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    expect(upsert).toContain('Superuser admin@example.com created.');
    const signIn = await post(`${example.url}/api/collections/_superusers/auth-with-password`, {
      identity: 'admin@example.com',
      password: 'admin-password-1',
    });
    const { token } = (await signIn.json()) as { token: string };
    const patched = await fetch(`${example.url}/api/settings`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: token },
      body: JSON.stringify({ putUser: { enabled: true } }),
    });
    expect(patched.status).toBe(200);

    const created = await post(`${example.url}/user`, body, 'PUT');
    expect(created.status).toBe(200);
    expect(((await created.json()) as { username: string }).username).toBe('Angela.Pacocha95');
    expect(await example.stop()).toBe(true);
    expect(example.output()).toContain('[002-put-user] new user "Angela.Pacocha95"');
  });
});
