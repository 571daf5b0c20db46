// A caller's update: the record loaded, the update rule, the body applied and checked, then the write pipeline.
import { nowDateTime } from '../../datetime.js';
import { ApiError } from '../../errors.js';
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import { withBody, type RequestInfo } from '../request-info.js';
import { storedRecordPasses } from '../rules/checks.js';
import { assertUnlocked, resolveRule } from '../rules/resolve.js';
import { changesPassword, oldPasswordMatches, passwordChangeErrors } from './auth-collection.js';
import type { WriteDeps } from './context.js';
import {
  checkUploads,
  hasFileFields,
  deleteAfterCommit,
  removeOnRollback,
  removeQuietly,
  replacedFiles,
  storeUploads,
  takeUploads,
} from './files.js';
import { applyInput } from './input.js';
import { stamp } from './pipeline.js';
import { seal } from './seal.js';
import { failureMessage, inputErrors } from './validate.js';

export async function updateRecord(
  deps: WriteDeps,
  compiled: CompiledCollection,
  id: string,
  body: Record<string, unknown>,
  access: Access,
  request: RequestInfo,
): Promise<RecordJson> {
  const { catalog, store } = deps;
  assertUnlocked(compiled.collection, 'updateRule', access);
  const stored = await deps.reader.stored(compiled, id);
  if (!stored) throw ApiError.notFound();
  const [plain, uploads] = takeUploads(compiled, body);
  const rule = resolveRule(
    { catalog, access, request: withBody(request, plain), existing: stored },
    compiled.collection,
    'updateRule',
  );
  if (!(await storedRecordPasses(store, compiled, rule, id))) throw ApiError.notFound();
  const input = applyInput(compiled, stored, plain, access, 'update');
  stamp(compiled, input.values, 'update', nowDateTime());
  const data = inputErrors(compiled, input, 'update');
  // An id in the body must be the record's own: a record's id never changes (PocketBase's validation_pk_change).
  if (plain.id !== undefined && plain.id !== null && String(plain.id) !== id) {
    data.id = { code: 'validation_pk_change', message: 'The record primary key cannot be changed.' };
  }
  if (hasFileFields(compiled)) await checkUploads(compiled, input.values, stored, uploads, data);
  if (compiled.collection.type === 'auth') passwordChangeErrors(input, 'update', access, data);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage('update'), data);
  if (changesPassword(input) && !access.superuser && !(await oldPasswordMatches(compiled, stored, input))) {
    throw ApiError.badRequest(failureMessage('update'), {
      oldPassword: { code: 'validation_invalid_old_password', message: 'Missing or invalid old password.' },
    });
  }
  if (input.sealed.size) await seal(compiled, input);
  const written = uploads.size ? await storeUploads(deps.files, compiled, input.values, uploads) : [];
  let record: RecordJson;
  try {
    record = await deps.writer.update(compiled, input.values, { access, request });
  } catch (err) {
    await removeQuietly(deps.files, written);
    throw err;
  }
  removeOnRollback(store, deps.files, written);
  // Files the record no longer names go once the write has committed.
  await deleteAfterCommit(store, deps.files, replacedFiles(compiled, stored, record));
  return deps.reader.exportOne(compiled, record, access, request);
}
