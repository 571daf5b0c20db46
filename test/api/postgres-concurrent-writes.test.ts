// Concurrent writers on PostgreSQL: write transactions run at once (each on a connection of its own), and what a
// user observes stays what one writer at a time gave: unique values refused the same way, distinct sequence
// numbers, a one-time code used once, no relation left pointing at a deleted record.
import { createHash } from 'node:crypto';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { StoreBusy } from '../../src/core/db/errors.js';
import { Sequences } from '../../src/core/sequences.js';
import { sdkApp, type SdkApp } from '../helpers/sdk-app.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { OPEN_RULES } from '../helpers/temp-app.js';

/** How many requests race in each test (the pool has 10 connections). */
const RACERS = 6;

/** The status and body of a refused SDK call (rejects when the call succeeded). */
async function refusal(call: Promise<unknown>): Promise<{ status: number; body: unknown }> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ClientResponseError)) throw new Error(`expected a refusal, got ${String(err)}`);
  return { status: err.status, body: err.response };
}

describePostgres('concurrent writers on PostgreSQL', () => {
  let s: SdkApp;
  let guest: PocketBase;
  /** Creates of `gated` wait in their transaction until this many are inside theirs at once. */
  let gateSize = 0;
  let inside = 0;
  let openGate: () => void = () => undefined;
  let gate = Promise.resolve();

  beforeAll(async () => {
    s = await sdkApp(
      [
        {
          name: 'members',
          type: 'auth',
          ...OPEN_RULES,
          otp: { enabled: true, duration: 300, length: 6 },
        },
        { name: 'staff', type: 'auth', ...OPEN_RULES },
        {
          name: 'tags',
          ...OPEN_RULES,
          fields: [{ name: 'label', type: 'text', required: true }],
          indexes: ['CREATE UNIQUE INDEX `idx_tags_label` ON `tags` (`label`)'],
        },
        { name: 'gated', ...OPEN_RULES, fields: [{ name: 'n', type: 'number' }] },
        {
          name: 'notes',
          ...OPEN_RULES,
          fields: [
            { name: 'text', type: 'text' },
            { name: 'tag', type: 'relation', collectionId: 'tags', maxSelect: 1, cascadeDelete: true },
          ],
        },
      ],
      { db: await freshDatabase(), rateLimit: false },
    );
    guest = new PocketBase(s.server.url).autoCancellation(false);
    s.app.onRecordCreate('gated', async (e) => {
      await e.next();
      // The row is written, not committed: wait until every racer's transaction is open too.
      if (++inside === gateSize) openGate();
      const timeout = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the other transactions never opened')), 5000),
      );
      await Promise.race([gate, timeout]);
    });
  });
  afterAll(() => s?.cleanup());

  it(`${RACERS} creates all succeed while their transactions are open at the same time`, async () => {
    gateSize = RACERS;
    inside = 0;
    gate = new Promise<void>((resolve) => (openGate = resolve));
    const created = await Promise.all(
      Array.from({ length: RACERS }, (_, n) => guest.collection('gated').create({ n })),
    );
    expect(created.map((r) => r.n).sort()).toEqual(Array.from({ length: RACERS }, (_, n) => n));
    expect((await s.pb.collection('gated').getFullList()).length).toBe(RACERS);
  });

  it('concurrent creates of one unique value: exactly one succeeds, the others get the usual 400', async () => {
    // The 400 one writer at a time gives.
    await guest.collection('tags').create({ label: 'taken' });
    const usual = await refusal(guest.collection('tags').create({ label: 'taken' }));
    expect(usual.status).toBe(400);

    const results = await Promise.allSettled(
      Array.from({ length: RACERS }, () => guest.collection('tags').create({ label: 'raced' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      const err = (r as PromiseRejectedResult).reason as ClientResponseError;
      expect({ status: err.status, body: err.response }).toEqual(usual);
    }
    expect(await s.pb.collection('tags').getFullList({ filter: 'label = "raced"' })).toHaveLength(1);
  });

  it('concurrent sequence numbers are distinct, inside transactions or not', async () => {
    const sequences = new Sequences(s.app.store);
    const numbers = await Promise.all([
      ...Array.from({ length: RACERS }, () => sequences.next('raced')),
      ...Array.from({ length: RACERS }, () => s.app.store.transaction(() => sequences.next('raced'))),
    ]);
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 2 * RACERS }, (_, i) => i + 1));
  });

  it('a one-time code tried by several requests at once signs in once', async () => {
    const member = await s.pb
      .collection('members')
      .create({ email: 'racer@example.com', password: 'a-long-password', passwordConfirm: 'a-long-password' });
    const members = s.app.engine.collections.find('members')!;
    const otpId = 'otpracedcode001';
    const code = '424242';
    await s.app.store.run(
      'INSERT INTO "_otps" ("id", "collectionRef", "recordRef", "password", "sentTo", "created") VALUES (?, ?, ?, ?, ?, ?)',
      [
        otpId,
        members.id,
        member.id,
        createHash('sha256').update(`${otpId}:${code}`).digest('hex'),
        'racer@example.com',
        new Date().toISOString().replace('T', ' '),
      ],
    );
    const results = await Promise.allSettled(
      Array.from({ length: RACERS }, () =>
        new PocketBase(s.server.url).autoCancellation(false).collection('members').authWithOTP(otpId, code),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) {
      expect(((r as PromiseRejectedResult).reason as ClientResponseError).status).toBe(400);
    }
  });

  it('one new id in two auth collections at once: exactly one create takes it', async () => {
    for (let round = 0; round < 3; round++) {
      const id = `sharedauthid00${round}`;
      const body = (email: string) => ({ id, email, password: 'a-long-password', passwordConfirm: 'a-long-password' });
      const results = await Promise.allSettled([
        guest.collection('members').create(body(`m${round}@example.com`)),
        guest.collection('staff').create(body(`s${round}@example.com`)),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const err = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as ClientResponseError;
      expect(err.status).toBe(400);
      expect(err.response.data).toEqual({ id: { code: 'validation_not_unique', message: 'Value must be unique.' } });
    }
  });

  it('batch upserts of one new id at once: one creates the record, the others update it', async () => {
    await s.pb.settings.update({ batch: { enabled: true, maxRequests: 5 } });
    const results = await Promise.allSettled(
      Array.from({ length: RACERS }, (_, n) => {
        const batch = s.pb.createBatch();
        batch.collection('tags').upsert({ id: 'upsertedonce001', label: `upserted-${n}` });
        return batch.send();
      }),
    );
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: RACERS }, () => 'fulfilled'));
    const statuses = results.map((r) => (r as PromiseFulfilledResult<{ status: number }[]>).value[0]!.status);
    expect(statuses.every((status) => status === 200)).toBe(true);
    const stored = await s.pb.collection('tags').getOne('upsertedonce001');
    expect(stored.label).toMatch(/^upserted-\d$/);
  });

  it('settings updates of different keys at once all stay', async () => {
    for (let round = 0; round < 3; round++) {
      await Promise.all([
        s.pb.settings.update({ meta: { appName: `raced app ${round}` } }),
        s.pb.settings.update({ batch: { enabled: true, maxRequests: 10 + round } }),
        s.pb.settings.update({ logs: { maxDays: 20 + round } }),
      ]);
      const settings = await s.pb.settings.getAll();
      expect(settings.meta.appName).toBe(`raced app ${round}`);
      expect(settings.batch).toMatchObject({ enabled: true, maxRequests: 10 + round });
      expect(settings.logs.maxDays).toBe(20 + round);
    }
  });

  it('two writers locking the same rows in opposite orders: one fails as StoreBusy, never a raw deadlock', async () => {
    await s.app.store.exec(
      `CREATE TABLE "locks_demo" ("id" TEXT PRIMARY KEY, "n" INTEGER NOT NULL DEFAULT 0);` +
        `INSERT INTO "locks_demo" ("id") VALUES ('a'), ('b')`,
    );
    let both!: () => void;
    let arrived = 0;
    const met = new Promise<void>((resolve) => (both = resolve));
    const writer = (first: string, second: string) =>
      s.app.store.transaction(async (tx) => {
        await tx.run('UPDATE "locks_demo" SET "n" = "n" + 1 WHERE "id" = ?', [first]);
        if (++arrived === 2) both();
        await met;
        await tx.run('UPDATE "locks_demo" SET "n" = "n" + 1 WHERE "id" = ?', [second]);
      });
    const results = await Promise.allSettled([writer('a', 'b'), writer('b', 'a')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failed.reason).toBeInstanceOf(StoreBusy);
  });

  it('creates pointing at a record deleted at the same time leave no dangling relation', async () => {
    for (let round = 0; round < 3; round++) {
      const tag = await guest.collection('tags').create({ label: `doomed-${round}` });
      const creates = Array.from({ length: RACERS }, (_, n) =>
        guest.collection('notes').create({ text: `${round}-${n}`, tag: tag.id }),
      );
      const [deleted, ...made] = await Promise.allSettled([guest.collection('tags').delete(tag.id), ...creates]);
      expect(deleted!.status).toBe('fulfilled');
      for (const r of made) {
        if (r.status === 'rejected') expect((r.reason as ClientResponseError).status).toBe(400);
      }
      // The delete cascades to every note it found; a note it could not find was refused: none is left.
      expect(await s.pb.collection('notes').getFullList({ filter: `tag = "${tag.id}"` })).toEqual([]);
    }
  });
});
