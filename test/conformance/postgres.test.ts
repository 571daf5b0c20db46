// PostgreSQL against the storage conformance suite: every test on a fresh database of the run's cluster.
import { postgresEngine } from '../../src/core/db/index.js';
import { describePostgres, freshDatabase } from '../helpers/postgres.js';
import { recordConformance } from './record-suite.js';
import { storeConformance } from './store-suite.js';

describePostgres('PostgreSQL', () => {
  const engine = async () => postgresEngine(await freshDatabase());
  storeConformance('postgres', engine);
  recordConformance('postgres', engine);
});
