// Vitest global setup: one throwaway PostgreSQL cluster for the whole run (tests make their own databases in it).
// Without PostgreSQL installed the PostgreSQL tests skip with a notice, unless SATCHEL_REQUIRE_POSTGRES is set
// (CI sets it): there a missing PostgreSQL is a failure, never a silent skip.
import type { TestProject } from 'vitest/node';
import { postgresBinDir, startPostgresCluster } from '../helpers/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A superuser URL of the run's PostgreSQL cluster, or '' when PostgreSQL is not installed. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (!postgresBinDir()) {
    if (process.env.SATCHEL_REQUIRE_POSTGRES) throw new Error('PostgreSQL is required here but not installed');
    console.warn('PostgreSQL is not installed: the PostgreSQL tests are skipped (apt-get install postgresql).');
    project.provide('postgresUrl', '');
    return () => {};
  }
  const cluster = await startPostgresCluster();
  project.provide('postgresUrl', cluster.url);
  return () => cluster.stop();
}
