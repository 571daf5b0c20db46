// Which stored file a download names: the record must exist and name the file in one of its file fields; a
// protected field's file is only for a caller the collection's view rule lets see the record.
import { ApiError } from '../errors.js';
import type { Access, RecordService } from '../records/index.js';
import { storageKey } from './storage.js';

export interface FoundFile {
  /** The storage key of the original. */
  key: string;
  /** The thumbnail sizes its field allows. */
  thumbs: string[];
  isProtected: boolean;
}

const notFound = () => ApiError.notFound('The requested file wasn\u2019t found.');

export async function findFile(
  records: RecordService,
  collectionRef: string,
  recordId: string,
  filename: string,
  access: Access,
): Promise<FoundFile> {
  const collection = records.collection(collectionRef);
  const record = await records.storedById(collection, recordId);
  if (!record) throw notFound();
  const compiled = records.catalog.compiled(collection);
  const field = compiled.fields.find((f) => {
    if (!f.type.uploads) return false;
    const value = record[f.def.name];
    return Array.isArray(value) ? value.includes(filename) : value === filename;
  });
  if (!field) throw notFound();
  const uploads = field.type.uploads!;
  const isProtected = uploads.isProtected(field.def);
  if (isProtected && !(await records.passesRule(collection, 'viewRule', recordId, access))) throw notFound();
  return {
    key: storageKey(collection.id, String(record.id), filename),
    thumbs: uploads.thumbs(field.def),
    isProtected,
  };
}
