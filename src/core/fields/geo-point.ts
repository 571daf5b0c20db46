// The `geoPoint` field: a `{lon, lat}` position in degrees; (0, 0) is its empty value, as in PocketBase.
import * as v from 'valibot';
import { optionsSchema, type OptionsOf } from './common.js';
import { fieldIssue } from './issue.js';
import { withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

export interface GeoPoint {
  lon: number;
  lat: number;
}

const geoPointOptions = optionsSchema({});

const EMPTY: GeoPoint = Object.freeze({ lon: 0, lat: 0 });

/** A point from an object or its JSON text; null, '' and {} are the empty point; anything else is kept to be refused. */
function castPoint(raw: unknown): unknown {
  let value = raw;
  if (value === null || value === undefined || value === '') return { ...EMPTY };
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return raw;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return raw;
  const { lon = 0, lat = 0 } = value as Record<string, unknown>;
  const number = (n: unknown) => (typeof n === 'string' && n.trim() !== '' ? Number(n) : n);
  return { lon: number(lon), lat: number(lat) };
}

const isPoint = (p: unknown): p is GeoPoint =>
  typeof p === 'object' && p !== null && Number.isFinite((p as GeoPoint).lon) && Number.isFinite((p as GeoPoint).lat);

const isEmpty = (p: GeoPoint) => p.lon === 0 && p.lat === 0;

export const geoPointField: FieldType<OptionsOf<typeof geoPointOptions>> = {
  type: 'geoPoint',
  options: geoPointOptions,
  storage: () => ({ kind: 'json', empty: EMPTY }),
  empty: () => ({ ...EMPTY }),
  cast: castPoint,
  schema: (field) =>
    v.pipe(
      withKeywords(
        v.custom<GeoPoint>(
          isPoint,
          fieldIssue('validation_invalid_value', 'Must be an object with numeric lon and lat.'),
        ),
        {
          type: 'object',
          properties: {
            lon: { type: 'number', minimum: -180, maximum: 180 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
          },
          required: ['lon', 'lat'],
          description: 'A position in degrees; {lon: 0, lat: 0} is the empty value.',
        },
      ),
      v.check((p) => !field.required || !isEmpty(p), fieldIssue('validation_required', 'Cannot be blank.')),
      v.check(
        (p) => isEmpty(p) || (p.lat >= -90 && p.lat <= 90),
        fieldIssue('validation_invalid_latitude', 'Latitude must be between -90 and 90 degrees.'),
      ),
      v.check(
        (p) => isEmpty(p) || (p.lon >= -180 && p.lon <= 180),
        fieldIssue('validation_invalid_longitude', 'Longitude must be between -180 and 180 degrees.'),
      ),
    ),
  toDb: (value) => JSON.stringify({ lon: (value as GeoPoint).lon, lat: (value as GeoPoint).lat }),
  fromDb: (value) => {
    const point = castPoint(value);
    return isPoint(point) ? point : { ...EMPTY };
  },
  // `location.lon` and `location.lat` in filters, e.g. geoDistance(location.lon, location.lat, 23.3, 42.7) < 25.
  subfield: (column, [key, ...rest], _field, dialect) =>
    rest.length === 0 && (key === 'lon' || key === 'lat') ? dialect.jsonExtract(column, key) : undefined,
};
