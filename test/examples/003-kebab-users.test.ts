// examples/003-kebab-users against seed 003: POST /users with last-name, first-name, email answers 201 with them
// and an integer id the server assigns (1, 2, 3 … never reused, safe under concurrent requests); 400 on a bad body.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, SUPERUSER } from '../../src/index.js';
import { call, exampleApp, keys, type ExampleApp } from './helpers.js';

const EXAMPLE = '003-kebab-users';

/** The seed's own request body. */
const SEED_BODY = { 'last-name': 'Meere', 'first-name': 'John', email: 'johnm@gmail.com' };

let made: ExampleApp[] = [];
afterEach(async () => {
  for (const m of made) await m.cleanup();
  made = [];
});
async function start() {
  const m = await exampleApp(EXAMPLE);
  made.push(m);
  return m.app;
}

const person = (n: number) => ({ 'last-name': `Last${n}`, 'first-name': `First${n}`, email: `p${n}@example.com` });

describe('POST /users (seed 003)', () => {
  it("answers the seed's request with 201: the fields as sent and an integer id, in the documented order", async () => {
    const app = await start();
    const res = await call(app, 'POST', '/users', { body: SEED_BODY });
    expect(res.status, res.text).toBe(201);
    expect(Object.keys(res.json)).toEqual(['last-name', 'first-name', 'email', 'id']);
    expect(res.text).toBe('{"last-name":"Meere","first-name":"John","email":"johnm@gmail.com","id":1}');
    expect(Number.isInteger(res.json.id)).toBe(true);
  });

  it('ids count 1, 2, 3 … and are never reused after deletes', async () => {
    const app = await start();
    const ids: number[] = [];
    for (let n = 1; n <= 3; n++) ids.push((await call(app, 'POST', '/users', { body: person(n) })).json.id);
    expect(ids).toEqual([1, 2, 3]);
    // Delete the newest, then every record: the next user still gets a new number.
    const all = (await app.records.list('users', { perPage: '100' }, SUPERUSER)).items;
    const newest = all.find((r) => r.seq === 3)!;
    await app.records.delete('users', String(newest.id), SUPERUSER);
    expect((await call(app, 'POST', '/users', { body: person(4) })).json.id).toBe(4);
    for (const r of (await app.records.list('users', { perPage: '100' }, SUPERUSER)).items) {
      await app.records.delete('users', String(r.id), SUPERUSER);
    }
    expect((await call(app, 'POST', '/users', { body: person(5) })).json.id).toBe(5);
  });

  it('50 concurrent requests get 50 distinct, consecutive ids', async () => {
    const app = await start();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(app, 'POST', '/users', { body: person(i) })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const ids = responses.map((r) => r.json.id as number).sort((a, b) => a - b);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // Each id went with its own request's fields.
    for (const r of responses) expect(r.json.email).toMatch(/^p\d+@example\.com$/);
    expect(new Set(responses.map((r) => r.json.email)).size).toBe(50);
  });

  it('a create that fails inside the transaction takes no number: no gaps', async () => {
    const app = await start();
    expect((await call(app, 'POST', '/users', { body: person(1) })).json.id).toBe(1);
    // A later hook refuses one e-mail after the counter was bumped: the whole transaction rolls back.
    app.onRecordCreate('users', (e) => {
      e.next();
      if (e.record.email === 'refused@example.com') {
        throw ApiError.badRequest('Failed to create record.', { email: { code: 'refused', message: 'Refused.' } });
      }
    });
    const refused = await call(app, 'POST', '/users', { body: { ...person(2), email: 'refused@example.com' } });
    expect(refused.status).toBe(400);
    expect(refused.json.data).toEqual({ email: { code: 'refused', message: 'Refused.' } });
    expect((await call(app, 'POST', '/users', { body: person(3) })).json.id).toBe(2);
  });

  it('400 on a bad body, naming the fields as the contract spells them', async () => {
    const app = await start();
    const empty = await call(app, 'POST', '/users', { body: {} });
    expect(empty.status).toBe(400);
    expect(keys(empty.json)).toEqual(['data', 'message', 'status']);
    expect(keys(empty.json.data)).toEqual(['email', 'first-name', 'last-name']);
    expect(empty.json.data['last-name'].code).toBe('validation_required');

    const cases: [unknown, string[]][] = [
      [{ ...SEED_BODY, email: 'johnm-at-gmail' }, ['email']],
      [{ ...SEED_BODY, 'first-name': 7 }, ['first-name']],
      [{ ...SEED_BODY, id: 5 }, ['id']],
      [{ 'last-name': 'Meere' }, ['email', 'first-name']],
    ];
    for (const [body, fields] of cases) {
      const res = await call(app, 'POST', '/users', { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(keys(res.json.data)).toEqual(fields);
    }
    for (const raw of ['{"last-name": ', '"Meere"', '[]']) {
      const res = await call(app, 'POST', '/users', { body: raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).toBe(400);
      expect(keys(res.json)).toEqual(['data', 'message', 'status']);
    }
    // None of the refused requests took a number.
    expect((await call(app, 'POST', '/users', { body: SEED_BODY })).json.id).toBe(1);
  });
});
