// The geoPoint field (one file in src/core/fields): {lon, lat} in, checked, stored, filtered by distance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SatchelApp } from '../../src/app.js';
import { runScenario, send } from '../helpers/scenario.js';
import { OPEN_RULES, tempApp } from '../helpers/temp-app.js';

let app: SatchelApp;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ app, cleanup } = await tempApp(
    [
      {
        name: 'places',
        ...OPEN_RULES,
        fields: [
          { name: 'name', type: 'text' },
          { name: 'location', type: 'geoPoint' },
          { name: 'home', type: 'geoPoint', required: true },
        ],
      },
    ],
    { rateLimit: false },
  ));
  for (const [name, lon, lat] of [
    ['Sofia', 23.3219, 42.6977],
    ['Plovdiv', 24.7453, 42.1354],
    ['Paris', 2.3522, 48.8566],
  ] as const) {
    await runScenario(app, {
      name,
      method: 'POST',
      url: '/api/collections/places/records',
      body: { name, location: { lon, lat }, home: { lon: 1, lat: 1 } },
      status: 200,
    });
  }
});
afterAll(() => cleanup());

const create = (body: unknown) =>
  runScenario(app, {
    name: JSON.stringify(body),
    method: 'POST',
    url: '/api/collections/places/records',
    body: body as object,
    status: 200,
  });

const refused = async (body: object, field: string, code: string) =>
  runScenario(app, {
    name: `${JSON.stringify(body)} refused`,
    method: 'POST',
    url: '/api/collections/places/records',
    body,
    status: 400,
    check: (j) => expect(j.data[field].code).toBe(code),
  });

describe('geoPoint', () => {
  it('answers {lon, lat}; an empty field is (0, 0); JSON text (multipart) is read too', async () => {
    const made = await create({ name: 'x', home: '{"lon": 10.5, "lat": -3}' });
    expect(made.home).toEqual({ lon: 10.5, lat: -3 });
    expect(made.location).toEqual({ lon: 0, lat: 0 });
    const form = new FormData();
    form.set('name', 'form');
    form.set('home', JSON.stringify({ lat: 5, lon: 6 }));
    const res = await send(app, { method: 'POST', url: '/api/collections/places/records', body: form });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).home).toEqual({ lon: 6, lat: 5 });
  });

  it('refuses latitudes and longitudes out of range, non-numbers, and a required (0, 0)', async () => {
    await refused({ home: { lon: 0, lat: 91 } }, 'home', 'validation_invalid_latitude');
    await refused({ home: { lon: -181, lat: 0 } }, 'home', 'validation_invalid_longitude');
    await refused({ home: { lon: 'east', lat: 1 } }, 'home', 'validation_invalid_value');
    await refused({ home: [1, 2] }, 'home', 'validation_invalid_value');
    await refused({ home: { lon: 0, lat: 0 } }, 'home', 'validation_required');
    await refused({ name: 'nowhere' }, 'home', 'validation_required');
  });

  it('filters by distance with geoDistance over location.lon and location.lat, and by either part', async () => {
    const near = (filter: string) =>
      runScenario(app, {
        name: filter,
        url: `/api/collections/places/records?sort=name&filter=${encodeURIComponent(filter)}`,
        status: 200,
      }).then((j) => j.items.map((p: any) => p.name));
    // Sofia to Plovdiv is about 133 km.
    expect(await near('geoDistance(location.lon, location.lat, 23.3219, 42.6977) < 150')).toEqual(['Plovdiv', 'Sofia']);
    expect(await near('geoDistance(location.lon, location.lat, 23.3219, 42.6977) < 50')).toEqual(['Sofia']);
    expect(await near('location.lat > 45')).toEqual(['Paris']);
    await runScenario(app, {
      name: 'unknown part',
      url: `/api/collections/places/records?filter=${encodeURIComponent('location.alt > 1')}`,
      status: 400,
    });
  });
});
