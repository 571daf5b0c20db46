// Scheduled jobs over the API with the official SDK: listed, run now (never twice at once), for superusers only.
import PocketBase from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningServer, SatchelApp } from '../../src/app.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let server: RunningServer;
let cleanup: () => Promise<void>;
let pb: PocketBase;
let runs = 0;
let release: () => void = () => undefined;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([]));
  app.cron.add('slow-report', '0 3 * * *', async () => {
    runs++;
    await new Promise<void>((resolve) => (release = resolve));
  });
  app.cron.add('hourly', '@hourly', () => undefined);
  server = await app.listen({ port: 0 });
  pb = new PocketBase(server.url);
  await app.auth.upsertSuperuser('root@example.com', 'password123');
  await pb.collection('_superusers').authWithPassword('root@example.com', 'password123');
});

afterAll(async () => {
  release();
  await server.close();
  await cleanup();
});

it('lists the jobs and runs one now, never twice at once', async () => {
  expect(await pb.crons.getFullList()).toEqual([
    // Built in: old request logs go every hour.
    { id: '__pbLogsCleanup__', expression: '0 * * * *' },
    { id: 'slow-report', expression: '0 3 * * *' },
    { id: 'hourly', expression: '@hourly' },
  ]);
  expect(await pb.crons.run('slow-report')).toBe(true);
  expect(await pb.crons.run('slow-report')).toBe(true);
  await new Promise((r) => setTimeout(r, 50));
  expect(runs).toBe(1);
  release();
  await new Promise((r) => setTimeout(r, 20));
  await pb.crons.run('slow-report');
  await new Promise((r) => setTimeout(r, 50));
  expect(runs).toBe(2);
  await expect(pb.crons.run('nope')).rejects.toMatchObject({ status: 404 });
});

it('is for superusers only', async () => {
  expect((await fetch(`${server.url}/api/crons`)).status).toBe(401);
  expect((await fetch(`${server.url}/api/crons/hourly`, { method: 'POST' })).status).toBe(401);
});

it('a bad expression is refused when the job is added, saying why', () => {
  expect(() => app.cron.add('bad', '61 * * * *', () => undefined)).toThrow(/minute "61" is out of range/);
});
