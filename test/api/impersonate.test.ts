// Impersonation through the official SDK: a superuser gets a non-refreshable token for a record and acts as it;
// nobody else may.
import { decodeJwt } from 'jose';
import PocketBase, { ClientResponseError } from 'pocketbase';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { memberCollection, signUp } from '../helpers/auth.js';
import { sdkApp } from '../helpers/sdk-app.js';
import type { SatchelApp } from '../../src/app.js';

const members = memberCollection('members', { listRule: 'id = @request.auth.id', viewRule: 'id = @request.auth.id' });

let app: SatchelApp;
let pb: PocketBase;
let done: () => Promise<void>;
let annId: string;

beforeAll(async () => {
  ({ app, pb, cleanup: done } = await sdkApp([members], { rateLimit: false }));
  annId = (await signUp(app, 'members', { email: 'ann@example.com', password: 'ann-password-1' })).id;
});

afterAll(() => done());

it('a superuser acts as a record with a token of the asked duration that cannot be refreshed', async () => {
  const asAnn = await pb.collection('members').impersonate(annId, 600);
  expect(asAnn.authStore.record?.id).toBe(annId);
  expect(asAnn.authStore.record?.email).toBe('ann@example.com');
  const claims = decodeJwt(asAnn.authStore.token);
  expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeGreaterThan(590);
  expect(claims.exp! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(600);
  expect(claims.refreshable).toBeUndefined();
  // Ann's rules now apply: she lists only herself.
  const list = await asAnn.collection('members').getFullList();
  expect(list.map((r) => r.id)).toEqual([annId]);
  // Refreshing keeps the same token (it cannot be made longer), as PocketBase answers it.
  const token = asAnn.authStore.token;
  const refreshed = await asAnn.collection('members').authRefresh();
  expect(refreshed.token).toBe(token);
  expect(refreshed.record.id).toBe(annId);
});

it('is refused to guests (401), to other records (403), and for an unknown record (404)', async () => {
  const guest = new PocketBase(pb.baseURL);
  const guestErr = await guest
    .collection('members')
    .impersonate(annId, 60)
    .catch((e: unknown) => e);
  expect((guestErr as ClientResponseError).status).toBe(401);
  const { token } = await guest.collection('members').authWithPassword('ann@example.com', 'ann-password-1');
  const ann = new PocketBase(pb.baseURL);
  ann.authStore.save(token, null);
  const annErr = await ann
    .collection('members')
    .impersonate(annId, 60)
    .catch((e: unknown) => e);
  expect((annErr as ClientResponseError).status).toBe(403);
  const missing = await pb
    .collection('members')
    .impersonate('nope', 60)
    .catch((e: unknown) => e);
  expect((missing as ClientResponseError).status).toBe(404);
});
