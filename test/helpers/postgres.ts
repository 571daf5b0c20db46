// PostgreSQL for tests: the run's shared cluster (started by test/setup/postgres.ts), one fresh database per use.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

/** The cluster's superuser URL, or '' when PostgreSQL is not installed (the tests skip). */
export const postgresUrl = inject('postgresUrl');

/** `describe` when PostgreSQL is there, `describe.skip` otherwise. */
export const describePostgres = postgresUrl ? describe : describe.skip;

/** Creates an empty database in the run's cluster and returns its URL. */
export async function freshDatabase(prefix = 'satchel'): Promise<string> {
  if (!postgresUrl) throw new Error('PostgreSQL is not available');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
