// `satchel init`: a new project that starts at once, with the package installed as a dependency (linked here:
// the test runs offline), and a package whose published files hold what that needs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanup, makeTempDir, ROOT, runCli, startServer } from './helpers/server.js';

afterAll(() => cleanup());

describe('satchel init', () => {
  it('creates a project that serves its collections and loads its hooks; its installed bin runs', async () => {
    const dir = join(makeTempDir('satchel-init-'), 'my-app');
    const result = await runCli(['init', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('npm install && npm start');
    for (const file of [
      'collections/users.json',
      'collections/notes.json',
      'pb_hooks/main.ts',
      '.gitignore',
      'package.json',
      'README.md',
    ]) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'my-app', scripts: { start: 'satchel serve' } });
    expect(pkg.dependencies.satchel).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('pb_data/');

    // As `npm install` would leave it: the package under node_modules, its bin linked in node_modules/.bin.
    mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(ROOT, join(dir, 'node_modules', 'satchel'));
    symlinkSync('../satchel/dist/cli.js', join(dir, 'node_modules', '.bin', 'satchel'));
    const help = spawnSync(join(dir, 'node_modules', '.bin', 'satchel'), ['--help'], { encoding: 'utf8' });
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toContain('satchel init');

    const server = await startServer({
      cwd: dir,
      args: ({ port }) => ['serve', `--http=127.0.0.1:${port}`],
    });
    expect(server.output()).toContain('loaded hooks from');
    const res = await fetch(`${server.url}/api/collections/notes/records`);
    expect(res.status).toBe(200);
    expect(existsSync(join(dir, 'pb_data', 'data.db'))).toBe(true);
    await server.stop();
  });

  it('refuses a folder that is not empty, in one line that says what to do', async () => {
    const dir = makeTempDir('satchel-init-');
    await runCli(['init', dir]);
    const again = await runCli(['init', dir]);
    expect(again.code).toBe(1);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    expect(again.stderr).toContain('is not empty');
    expect(again.stderr).toContain('satchel init my-app');
  });
});

describe('the package', () => {
  it('publishes the built CLI, library and dashboard and the collections init copies, not the sources or tests', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(packed.status, packed.stderr).toBe(0);
    const files: string[] = JSON.parse(packed.stdout)[0].files.map((f: { path: string }) => f.path);
    for (const needed of [
      'dist/cli.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/ui/index.html',
      'collections/users.json',
      'package.json',
    ]) {
      expect(files, needed).toContain(needed);
    }
    // The dashboard ships built (dist/ui/index.html and its hashed assets), not as its sources.
    expect(files.some((f) => f.startsWith('dist/ui/assets/') && f.endsWith('.js'))).toBe(true);
    expect(files.some((f) => ['src/', 'test/', 'bench/', 'ui/'].some((folder) => f.startsWith(folder)))).toBe(false);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.bin.satchel).toBe('dist/cli.js');
    expect(pkg.private).toBeUndefined();
  });
});
