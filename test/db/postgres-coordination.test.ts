// Two processes' coordination on one PostgreSQL database: messages reach the other process (never the sender), in
// order, whatever their size, and again after the listening connection is killed; the lock serializes its holders;
// "once" picks one process per key.
import pg from 'pg';
import { afterEach, expect, it } from 'vitest';
import type { BusMessage, Coordination } from '../../src/core/db/coordination.js';
import { openPostgresCoordination } from '../../src/core/db/postgres/cluster.js';
import { Crons } from '../../src/core/cron/crons.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';

const opened: Coordination[] = [];
const listeners: pg.Client[] = [];

afterEach(async () => {
  for (const c of opened.splice(0)) await c.close();
  for (const l of listeners.splice(0)) await l.end();
});

async function twoProcesses(): Promise<{ url: string; a: Coordination; b: Coordination }> {
  const url = await freshDatabase('cluster');
  // Both start at once, as two processes behind a load balancer do: neither trips on the other's tables.
  const [a, b] = await Promise.all([openPostgresCoordination(url), openPostgresCoordination(url)]);
  opened.push(a, b);
  return { url, a, b };
}

/** Collects what arrives on `channel`; `next(n)` waits (bounded) until n messages are there. */
function inbox(c: Coordination, channel: string) {
  const got: BusMessage[] = [];
  c.bus.subscribe(channel, (m) => {
    got.push(m);
  });
  const next = async (n: number, timeoutMs = 5_000) => {
    const until = Date.now() + timeoutMs;
    while (got.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    return got;
  };
  return { got, next };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A plain connection listening on the channel Satchel's notices travel on (not named as a process: not counted). */
async function eavesdrop(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const payloads: string[] = [];
  client.on('notification', (m) => payloads.push(m.payload ?? ''));
  await client.query('LISTEN satchel_cluster');
  listeners.push(client);
  const until = async (match: (payload: string) => boolean) => {
    for (let i = 0; i < 200 && !payloads.some(match); i++) await settle(25);
    expect(payloads.some(match)).toBe(true);
  };
  /** Publishes through `c` and checks that no notice left (what was heard before is forgotten first). */
  const silentWhen = async (c: Coordination, ...messages: BusMessage[]) => {
    payloads.length = 0;
    for (const m of messages) await c.bus.publish('realtime', m);
    await settle(200);
    expect(payloads).toEqual([]);
  };
  return { payloads, until, silentWhen };
}

describePostgres('PostgreSQL coordination', () => {
  it('delivers a message to the other process, in order, never to the one that sent it', async () => {
    const { a, b } = await twoProcesses();
    const onA = inbox(a, 'settings');
    const onB = inbox(b, 'settings');
    const otherChannel = inbox(b, 'collections');
    for (let i = 0; i < 20; i++) await a.bus.publish('settings', { n: i });
    expect((await onB.next(20)).map((m) => (m as { n: number }).n)).toEqual([...Array(20).keys()]);
    await settle(100);
    expect(onA.got).toEqual([]);
    expect(otherChannel.got).toEqual([]);
  });

  it('messages published at once (equal ones too, a large one among them) arrive all, in publishing order', async () => {
    const { a, b } = await twoProcesses();
    const onB = inbox(b, 'realtime');
    const sent: BusMessage[] = [];
    for (let i = 0; i < 300; i++) sent.push(i === 150 ? { big: 'y'.repeat(20_000) } : { same: i % 3 === 0 ? 'x' : i });
    await Promise.all(sent.map((m) => a.bus.publish('realtime', m)));
    expect(await onB.next(300)).toEqual(sent);
  });

  it('carries a record far larger than a NOTIFY payload (8000 bytes), mixed in order with small ones', async () => {
    const { url, a, b } = await twoProcesses();
    const onB = inbox(b, 'realtime');
    const big = { record: { id: 'abc', body: 'é'.repeat(300_000) } };
    await a.bus.publish('realtime', { n: 1 });
    await a.bus.publish('realtime', big);
    await a.bus.publish('realtime', { n: 3 });
    const got = await onB.next(3);
    expect(got).toHaveLength(3);
    expect(got[0]).toEqual({ n: 1 });
    expect(got[1]).toEqual(big);
    expect(got[2]).toEqual({ n: 3 });
    // The large one went through the message table.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM _cluster_messages');
      expect(rows[0]!.n).toBe(1);
    } finally {
      await client.end();
    }
  });

  it('a process alone on the database sends nothing; with a second one both hear each other; after its bye, nothing again', async () => {
    const url = await freshDatabase('cluster');
    const spy = await eavesdrop(url);
    const a = await openPostgresCoordination(url);
    opened.push(a);
    // Its hello leaves, and it counts no other process.
    await spy.until((p) => p.includes(' _presence j"hello"'));
    await settle(300);
    await spy.silentWhen(a, ...[0, 1, 2, 3, 4].map((n) => ({ n })));

    const b = await openPostgresCoordination(url);
    opened.push(b);
    const onB = inbox(b, 'realtime');
    const onA = inbox(a, 'realtime');
    await settle(300);
    await a.bus.publish('realtime', { n: 'to b' });
    await b.bus.publish('realtime', { n: 'to a' });
    expect(await onB.next(1)).toEqual([{ n: 'to b' }]);
    expect(await onA.next(1)).toEqual([{ n: 'to a' }]);

    await b.close();
    opened.splice(opened.indexOf(b), 1);
    await settle(300);
    await spy.silentWhen(a, { n: 'nobody' });
  });

  it('a process that leaves without a bye (killed) is counted out: the other stops sending', async () => {
    const url = await freshDatabase('cluster');
    const spy = await eavesdrop(url);
    const a = await openPostgresCoordination(url, { countEveryMs: 200 });
    opened.push(a);
    // b's part, by hand: a listening connection named as a process's, and its hello.
    const b = new pg.Client({ connectionString: url, application_name: 'satchel-cluster 0123456789ab' });
    await b.connect();
    await b.query('LISTEN satchel_cluster');
    await b.query(`SELECT pg_notify('satchel_cluster', '0123456789ab 0 _presence j"hello"')`);
    await spy.until((p) => p.includes(' _presence j"here"'));
    spy.payloads.length = 0;
    await a.bus.publish('realtime', { n: 'to b' });
    await spy.until((p) => p.includes('{"n":"to b"}'));
    // b dies without a word.
    await b.end();
    await settle(600);
    await spy.silentWhen(a, { n: 'nobody' });
  });

  it('a newcomer answered by a process that was alone reads again what processes share', async () => {
    const url = await freshDatabase('cluster');
    const a = await openPostgresCoordination(url);
    opened.push(a);
    await settle(300);
    const b = await openPostgresCoordination(url);
    opened.push(b);
    let resumed = 0;
    b.onResume(() => {
      resumed++;
    });
    for (let i = 0; i < 40 && resumed === 0; i++) await settle(25);
    expect(resumed).toBe(1);
  });

  it('hears messages again after its listening connection is killed (pg_terminate_backend)', async () => {
    const { url, a, b } = await twoProcesses();
    const onB = inbox(b, 'settings');
    let resumed = 0;
    b.onResume(() => {
      resumed++;
    });
    await a.bus.publish('settings', { before: true });
    await onB.next(1);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      // Every connection listening on the database is killed: b's (and a's) listener.
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(pg_terminate_backend(l.pid))::int AS n FROM pg_stat_activity l
         WHERE l.datname = current_database() AND l.query LIKE 'LISTEN%' AND l.pid <> pg_backend_pid()`,
      );
      expect(rows[0]!.n).toBe(2);
    } finally {
      await admin.end();
    }
    for (let i = 0; i < 100 && resumed === 0; i++) await settle(50);
    expect(resumed).toBe(1);
    await a.bus.publish('settings', { after: true });
    expect(await onB.next(2)).toEqual([{ before: true }, { after: true }]);
  });

  it('the lock: two holders of the same name never overlap; other names do not wait', async () => {
    const { a, b } = await twoProcesses();
    const events: string[] = [];
    const hold = (c: Coordination, who: string) =>
      c.withLock('schema', async () => {
        events.push(`${who} in`);
        await settle(150);
        events.push(`${who} out`);
      });
    let otherRan = false;
    await Promise.all([hold(a, 'a'), hold(b, 'b'), b.withLock('other', async () => void (otherRan = true))]);
    expect(otherRan).toBe(true);
    expect([
      ['a in', 'a out', 'b in', 'b out'],
      ['b in', 'b out', 'a in', 'a out'],
    ]).toContainEqual(events);
    // A holder that throws lets go of the lock all the same.
    await expect(a.withLock('schema', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(b.withLock('schema', () => Promise.resolve('free'))).resolves.toBe('free');
  });

  it('once: of two processes claiming the same key at the same moment, exactly one gets it', async () => {
    const { a, b } = await twoProcesses();
    for (let minute = 0; minute < 10; minute++) {
      const key = `cron:job:${minute}`;
      const [onA, onB] = await Promise.all([a.once(key), b.once(key)]);
      expect([onA, onB].filter(Boolean)).toHaveLength(1);
    }
    expect(await a.once('cron:job:0')).toBe(false);
  });

  it("two processes' cron ticks of the same minute run the job once; a process still running it lets the other take it", async () => {
    const { a, b } = await twoProcesses();
    const runs: string[] = [];
    let release: () => void = () => undefined;
    const onA = new Crons((key) => a.once(key));
    const onB = new Crons((key) => b.once(key));
    onA.add('report', '* * * * *', () => void runs.push('a'));
    onB.add('report', '* * * * *', () => void runs.push('b'));
    try {
      for (let m = 0; m < 5; m++) {
        const minute = new Date(2026, 11, 1, 4, m);
        await Promise.all([onA.tick(minute), onB.tick(minute)]);
        expect(runs).toHaveLength(m + 1);
      }
      // a's run of minute 10 is still going at minute 11: b runs minute 11.
      onA.add('slow', '* * * * *', () => new Promise<void>((r) => (release = r)).then(() => void runs.push('slow a')));
      onB.add('slow', '* * * * *', () => void runs.push('slow b'));
      onB.remove('report');
      onA.remove('report');
      const first = onA.tick(new Date(2026, 11, 1, 4, 10));
      await settle(200); // a has claimed minute 10 and runs it
      await onB.tick(new Date(2026, 11, 1, 4, 10));
      expect(runs).toHaveLength(5);
      await Promise.all([onA.tick(new Date(2026, 11, 1, 4, 11)), onB.tick(new Date(2026, 11, 1, 4, 11))]);
      release();
      await first;
      expect(runs.slice(5).sort()).toEqual(['slow a', 'slow b']);
    } finally {
      onA.stop();
      onB.stop();
    }
  });
});
