// What the request-level write flows (create, update, delete) work with.
import type { Store } from '../../db/store.js';
import type { FileStorage } from '../../files/storage.js';
import type { Catalog } from '../catalog.js';
import type { RecordHooks } from '../events.js';
import type { RecordReader } from '../read/reader.js';
import type { RecordWriter } from './pipeline.js';

export interface WriteDeps {
  store: Store;
  catalog: Catalog;
  hooks: RecordHooks;
  reader: RecordReader;
  writer: RecordWriter;
  /** Where uploaded files go. */
  files: FileStorage;
}
