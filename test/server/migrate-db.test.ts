// `satchel migrate-db` through the real CLI: a running project's data copied to a new database, which
// `satchel serve` then serves as the source did.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { everything, memberSignIn, sourceProject } from '../helpers/migrate-project.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { cleanup, makeTempDir, runCli, startServer } from './helpers/server.js';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.splice(0)) await stop();
  await cleanup();
});

describe('satchel migrate-db', () => {
  it('copies a running SQLite project to a new data.db, prints the verification and the copy serves', async () => {
    const source = await sourceProject();
    stops.push(source.cleanup);
    const target = join(makeTempDir('satchel-migrated-'), 'pb_data');
    const args = [
      'migrate-db',
      `--from=${join(source.dirs.dataDir, 'data.db')}`,
      `--to=${join(target, 'data.db')}`,
      `--collections=${source.dirs.collectionsDir}`,
    ];
    const run = await runCli(args, { timeoutMs: 30_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/table\s+source rows\s+target rows\s+source checksum\s+target checksum/);
    expect(run.stdout).toMatch(/\nposts\s+3\s+3\s+[0-9a-f]{16}\s+[0-9a-f]{16}\s+ok/);
    expect(run.stdout).toMatch(/\n_superusers\s+1\s+1\s+.*ok/);
    expect(run.stdout).toMatch(/all \d+ tables match/);

    const server = await startServer({ dataDir: target, collectionsDir: source.dirs.collectionsDir });
    stops.push(() => server.stop());
    expect(await everything(server.url)).toEqual(await everything(source.server.url));
    expect((await memberSignIn(server.url, 'cyd')).record.id).toBe(source.memberIds[2]);

    // Again into the same target: refused, exit code 1, and the target is untouched.
    const again = await runCli(args);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/satchel: .*data\.db is not empty .*--force/);
    const wrong = await runCli(['migrate-db', `--from=${source.dirs.dataDir}`]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('needs --from=DATABASE and --to=DATABASE');
    const help = await runCli(['migrate-db', '--help']);
    expect(help.stdout).toContain('Usage: satchel migrate-db --from=DATABASE --to=DATABASE');
  });
});

describePostgres('satchel migrate-db with PostgreSQL', () => {
  it('moves a project to PostgreSQL and back with its logs, verified at each step', async () => {
    const source = await sourceProject();
    stops.push(source.cleanup);
    source.app.engine.logger.info('a line of the app log');
    await source.app.engine.logs.flush();
    const url = await freshDatabase('migrate_cli');
    const collections = `--collections=${source.dirs.collectionsDir}`;
    const there = await runCli(
      ['migrate-db', `--from=${source.dirs.dataDir}`, `--to=${url}`, collections, '--with-logs'],
      {
        timeoutMs: 60_000,
      },
    );
    expect(there.code, there.stderr).toBe(0);
    expect(there.stdout).toMatch(/\nposts\s+3\s+3\s+.*ok/);
    expect(there.stdout).toMatch(/\n_logs\s+[1-9]\d*\s+[1-9]\d*\s+.*ok/);

    const back = join(makeTempDir('satchel-back-'), 'pb_data');
    const returned = await runCli(['migrate-db', `--from=${url}`, `--to=${back}`, collections, '--with-logs'], {
      timeoutMs: 60_000,
    });
    expect(returned.code, returned.stderr).toBe(0);
    // The same checksums came back as went there, table by table.
    const sums = (out: string) =>
      Object.fromEntries(
        [...out.matchAll(/^(\w+)\s+\d+\s+\d+\s+([0-9a-f]{16})\s+([0-9a-f]{16})\s+ok$/gm)].map((m) => [m[1], m[3]]),
      );
    expect(sums(returned.stdout)).toEqual(sums(there.stdout));
    expect(Object.keys(sums(there.stdout))).toEqual(
      expect.arrayContaining(['posts', 'members', '_superusers', '_logs']),
    );

    // (Served after the copy back, whose checksums a sign-in here would change.)
    // `satchel serve --db=postgres://...` serves the copy as the source served the original.
    const onPostgres = await startServer({
      collectionsDir: source.dirs.collectionsDir,
      args: ({ port, dataDir, collectionsDir }) => [
        'serve',
        `--http=127.0.0.1:${port}`,
        `--dir=${dataDir}`,
        `--collections=${collectionsDir}`,
        `--db=${url}`,
      ],
    });
    expect(await everything(onPostgres.url)).toEqual(await everything(source.server.url));
    expect((await memberSignIn(onPostgres.url, 'bob')).record.id).toBe(source.memberIds[1]);
    await onPostgres.stop();

    const server = await startServer({ dataDir: back, collectionsDir: source.dirs.collectionsDir });
    stops.push(() => server.stop());
    expect(await everything(server.url)).toEqual(await everything(source.server.url));
    expect((await memberSignIn(server.url, 'ann')).record.id).toBe(source.memberIds[0]);
  });
});
