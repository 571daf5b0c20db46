// SQL functions and the collation Satchel's PostgreSQL dialect relies on, created with Satchel's own tables: the
// few SQLite behaviours the record engine assumes (strftime, a lenient number cast, JSON arrays of any value)
// spelled once as database functions instead of being repeated in every statement.

/** A case-insensitive collation (ICU, secondary strength): what SQLite's COLLATE NOCASE is to equality. */
export const NOCASE = 'satchel_nocase';

/** SQLite's strftime(format, time, modifiers...) over text: the filter language's date functions and log hours. */
const STRFTIME = `
CREATE OR REPLACE FUNCTION satchel_strftime(fmt text, t text DEFAULT 'now', VARIADIC mods text[] DEFAULT '{}')
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE SET "TimeZone" TO 'UTC' AS $fn$
DECLARE
  ts timestamp;
  m text;
  n double precision;
  out text := '';
  i int := 1;
  c text;
BEGIN
  IF fmt IS NULL OR t IS NULL THEN RETURN NULL; END IF;
  BEGIN
    IF lower(t) = 'now' THEN ts := clock_timestamp() AT TIME ZONE 'UTC';
    ELSIF t ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN
      IF 'unixepoch' = ANY(mods) THEN ts := to_timestamp(t::double precision) AT TIME ZONE 'UTC';
      ELSE ts := (timestamp '4714-11-24 12:00:00 BC') + (t::double precision * interval '1 day');
      END IF;
    ELSE ts := t::timestamptz AT TIME ZONE 'UTC';
    END IF;
  EXCEPTION WHEN others THEN RETURN NULL;
  END;
  FOREACH m IN ARRAY mods LOOP
    m := lower(trim(m));
    IF m IN ('unixepoch', 'utc', 'localtime', 'auto', 'subsec', 'subsecond') THEN CONTINUE;
    ELSIF m = 'start of day' THEN ts := date_trunc('day', ts);
    ELSIF m = 'start of month' THEN ts := date_trunc('month', ts);
    ELSIF m = 'start of year' THEN ts := date_trunc('year', ts);
    ELSIF m ~ '^[-+]?[0-9]+(\\.[0-9]+)? (second|minute|hour|day|month|year)s?$' THEN
      ts := ts + (m::interval);
    ELSE RETURN NULL;
    END IF;
  END LOOP;
  WHILE i <= length(fmt) LOOP
    c := substr(fmt, i, 1);
    IF c = '%' AND i < length(fmt) THEN
      i := i + 1;
      c := substr(fmt, i, 1);
      out := out || CASE c
        WHEN 'Y' THEN to_char(ts, 'YYYY')
        WHEN 'm' THEN to_char(ts, 'MM')
        WHEN 'd' THEN to_char(ts, 'DD')
        WHEN 'H' THEN to_char(ts, 'HH24')
        WHEN 'M' THEN to_char(ts, 'MI')
        WHEN 'S' THEN to_char(ts, 'SS')
        WHEN 'f' THEN to_char(ts, 'SS.MS')
        WHEN 'j' THEN to_char(ts, 'DDD')
        WHEN 'w' THEN (extract(dow FROM ts))::int::text
        WHEN 'u' THEN (extract(isodow FROM ts))::int::text
        WHEN 'W' THEN lpad(((extract(doy FROM ts)::int + 6 - ((extract(dow FROM ts)::int + 6) % 7)) / 7)::text, 2, '0')
        WHEN 's' THEN floor(extract(epoch FROM ts))::bigint::text
        WHEN 'J' THEN (extract(epoch FROM ts) / 86400 + 2440587.5)::text
        WHEN '%' THEN '%'
        ELSE NULL
      END;
      IF out IS NULL THEN RETURN NULL; END IF;
    ELSE
      out := out || c;
    END IF;
    i := i + 1;
  END LOOP;
  RETURN out;
END
$fn$`;

/** SQLite's CAST(x AS NUMERIC) on text: the leading number, or 0 (a field retyped to number, geo coordinates). */
const TO_NUMBER = `
CREATE OR REPLACE FUNCTION satchel_to_number(t text) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
  SELECT COALESCE(substring(t FROM '^\\s*([-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?)')::double precision, 0)
$fn$`;

/** Text as JSON: itself when it is valid JSON, else a JSON string of it (SQLite's json_valid / json_quote). */
const JSON_OF = `
CREATE OR REPLACE FUNCTION satchel_json_of(t text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
  IF t IS NULL THEN RETURN NULL; END IF;
  RETURN t::jsonb;
EXCEPTION WHEN others THEN
  RETURN to_jsonb(t);
END
$fn$`;

/** A value as a JSON array: an array stays itself, anything else becomes a one-element array of it. */
const ARRAY_OF = [
  `CREATE OR REPLACE FUNCTION satchel_array_of(v jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN jsonb_typeof(v) = 'array' THEN v ELSE jsonb_build_array(v) END
  $fn$`,
  `CREATE OR REPLACE FUNCTION satchel_array_of(v text) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN v ~ '^\\s*\\[' AND jsonb_typeof(satchel_json_of(v)) = 'array' THEN v::jsonb
      ELSE jsonb_build_array(v) END
  $fn$`,
  `CREATE OR REPLACE FUNCTION satchel_array_of(v double precision) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $fn$ SELECT jsonb_build_array(v) $fn$`,
  `CREATE OR REPLACE FUNCTION satchel_array_of(v boolean) RETURNS jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $fn$ SELECT jsonb_build_array(CASE WHEN v THEN 1 ELSE 0 END) $fn$`,
];

/**
 * Creates or refreshes them; run with Satchel's own tables when a store opens. One statement list under an advisory
 * lock of its own: two stores opening at once would otherwise replace the same function together, and PostgreSQL
 * fails one with "tuple concurrently updated". (openStore also runs the whole list of Satchel's tables under a lock;
 * this one keeps the functions safe wherever they are run. 0x53415443 is "SATC".)
 */
export const FUNCTION_STATEMENTS: string[] = [
  [
    'SELECT pg_advisory_xact_lock(1396790339, 0)',
    `CREATE COLLATION IF NOT EXISTS ${NOCASE} (provider = icu, locale = 'und-u-ks-level2', deterministic = false)`,
    STRFTIME,
    TO_NUMBER,
    JSON_OF,
    ...ARRAY_OF,
  ].join(';\n'),
];
