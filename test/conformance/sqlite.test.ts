// SQLite, the embedded default, against the storage conformance suite. A new engine adds a file like this one.
import { sqliteEngine } from '../../src/core/db/index.js';
import { recordConformance } from './record-suite.js';
import { storeConformance } from './store-suite.js';

// One file per data directory: each test's temporary directory is a fresh database.
const engine = () => Promise.resolve(sqliteEngine);
storeConformance('sqlite', engine);
recordConformance('sqlite', engine);
