// One signed-in user against another's record, through every record route, with real tokens (users.json rules).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { runScenario, send } from '../helpers/scenario.js';
import { tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;
const users: Record<string, { id: string; token: string }> = {};

beforeAll(async () => {
  ({ app, cleanup } = await tempApp([JSON.parse(readFileSync('collections/users.json', 'utf8'))], {
    rateLimit: false,
  }));
  for (const name of ['alice', 'bob']) {
    const body = {
      email: `${name}@example.com`,
      username: name,
      password: 'password-123',
      passwordConfirm: 'password-123',
    };
    await send(app, { method: 'POST', url: '/api/collections/users/records', body });
    const res = await send(app, {
      method: 'POST',
      url: '/api/collections/users/auth-with-password',
      body: { identity: name, password: 'password-123' },
    });
    const json = (await res.json()) as { token: string; record: { id: string } };
    users[name] = { id: json.record.id, token: json.token };
  }
});
afterAll(() => cleanup());

describe("a user and another user's record", () => {
  const as = (name: string) => ({ Authorization: users[name]!.token });

  it('lists only their own record', () =>
    runScenario(app, {
      name: 'list',
      url: '/api/collections/users/records',
      headers: as('alice'),
      status: 200,
      check: (j) => expect(j.items.map((u: { username: string }) => u.username)).toEqual(['alice']),
    }));

  it('cannot view, update or delete it (404, as if it did not exist), and nothing changes', async () => {
    const bob = users.bob!.id;
    await runScenario(app, {
      name: 'view',
      url: `/api/collections/users/records/${bob}`,
      headers: as('alice'),
      status: 404,
    });
    await runScenario(app, {
      name: 'update',
      method: 'PATCH',
      url: `/api/collections/users/records/${bob}`,
      headers: as('alice'),
      body: { name: 'hacked' },
      status: 404,
    });
    await runScenario(app, {
      name: 'delete',
      method: 'DELETE',
      url: `/api/collections/users/records/${bob}`,
      headers: as('alice'),
      status: 404,
    });
    await runScenario(app, {
      name: 'still intact for its owner',
      url: `/api/collections/users/records/${bob}`,
      headers: as('bob'),
      status: 200,
      check: (j) => expect(j).toMatchObject({ username: 'bob', name: '', email: 'bob@example.com' }),
    });
  });

  it('can update and read their own record, and a guest can do neither', async () => {
    const alice = users.alice!.id;
    await runScenario(app, {
      name: 'own update',
      method: 'PATCH',
      url: `/api/collections/users/records/${alice}`,
      headers: as('alice'),
      body: { name: 'Alice' },
      status: 200,
      check: (j) => expect(j.name).toBe('Alice'),
    });
    await runScenario(app, { name: 'guest view', url: `/api/collections/users/records/${alice}`, status: 404 });
    await runScenario(app, {
      name: 'guest update',
      method: 'PATCH',
      url: `/api/collections/users/records/${alice}`,
      body: { name: 'x' },
      status: 404,
    });
  });

  it('a filter cannot reach past the rule', () =>
    runScenario(app, {
      name: 'filter',
      url: `/api/collections/users/records?filter=${encodeURIComponent('username = "bob" || id != ""')}`,
      headers: as('alice'),
      status: 200,
      check: (j) => expect(j.items.map((u: { username: string }) => u.username)).toEqual(['alice']),
    }));
});
