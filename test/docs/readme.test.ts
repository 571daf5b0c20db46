// The README's shell and JS SDK sessions, run as written against a real server started on this repository's
// collections, so that what a new user pastes cannot drift from what the server does. The blocks run are the
// ones marked `<!-- doctest: sh -->` and `<!-- doctest: js N -->` (JS in the order N, as one module: later
// blocks use what earlier ones made, as a reader's script would); only the address changes, to the test's port.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, ROOT, runCli, startServer, type TestServer } from '../server/helpers/server.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The marked code blocks: their kind, their order (js) and their text. */
function markedBlocks(): { kind: 'sh' | 'js'; order: number; code: string }[] {
  const found = [...README.matchAll(/<!-- doctest: (sh|js)(?: (\d+))? -->\s*\n```\w+\n([\s\S]*?)\n```/g)];
  return found.map((m) => ({ kind: m[1] as 'sh' | 'js', order: Number(m[2] ?? 0), code: m[3]! }));
}

let server: TestServer;
let project: string;

beforeAll(async () => {
  project = makeTempDir('satchel-readme-');
  cpSync(join(ROOT, 'collections'), join(project, 'collections'), { recursive: true });
  // The README's superuser, made as it says (satchel superuser upsert EMAIL PASSWORD).
  const upsert = await runCli(['superuser', 'upsert', 'root@example.com', 'password123', '--dir=pb_data'], {
    cwd: project,
  });
  expect(upsert.code, upsert.stderr).toBe(0);
  server = await startServer({ cwd: project, args: ({ port }) => ['serve', `--http=127.0.0.1:${port}`] });
});

afterAll(() => cleanup());

const atTestServer = (code: string) => code.replaceAll('http://127.0.0.1:8090', server.url);

describe('the README, pasted as written', () => {
  it('marks the sessions a new user follows', () => {
    const blocks = markedBlocks();
    expect(blocks.filter((b) => b.kind === 'sh').length).toBeGreaterThanOrEqual(3);
    expect(blocks.filter((b) => b.kind === 'js').length).toBeGreaterThanOrEqual(4);
  });

  it('its shell sessions run from top to bottom: no 404, no 5xx, no missing id', () => {
    for (const block of markedBlocks().filter((b) => b.kind === 'sh')) {
      const run = spawnSync('bash', ['-e', '-c', atTestServer(block.code)], {
        cwd: project,
        encoding: 'utf8',
        timeout: 30_000,
      });
      const first = block.code.split('\n')[0];
      expect(run.status, `${first}\n${run.stderr}`).toBe(0);
      expect(run.stdout, first).not.toMatch(/"status":\s*(404|5\d\d)|"code":\s*(404|5\d\d)|undefined/);
    }
  });

  it('its JS SDK sessions run as one script', () => {
    const js = markedBlocks()
      .filter((b) => b.kind === 'js')
      .sort((a, b) => a.order - b.order)
      .map((b) => atTestServer(b.code))
      .join('\n');
    // Inside the repository, so that `pocketbase` and `eventsource` resolve as they would after npm install.
    const dir = join(ROOT, 'test', '.tmp');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `readme-${process.pid}.mjs`);
    writeFileSync(file, `${js}\nprocess.exit(0);\n`);
    try {
      const run = spawnSync(process.execPath, [file], { cwd: project, encoding: 'utf8', timeout: 30_000 });
      expect(run.status, run.stderr).toBe(0);
    } finally {
      rmSync(file, { force: true });
    }
    // What the last block did (a field added through the collections API) is in the collection's file.
    const posts = JSON.parse(readFileSync(join(project, 'collections', 'posts.json'), 'utf8'));
    expect(posts.fields.map((f: { name: string }) => f.name)).toContain('score');
  });
});
