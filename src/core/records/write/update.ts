// A caller's update: the record loaded, the update rule, the body applied and checked, then the write pipeline.
import { nowDateTime } from '../../datetime.js';
import { ApiError } from '../../errors.js';
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import { withBody, type RequestInfo } from '../request-info.js';
import { storedRecordPasses } from '../rules/checks.js';
import { managesStored } from '../rules/manage.js';
import { assertUnlocked, resolveRule } from '../rules/resolve.js';
import { authFormErrors, markSuperuserVerified } from './auth-collection.js';
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
import { applyInput, ruleBody } from './input.js';
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
  let input = applyInput(compiled, stored, plain, access, 'update');
  const ruleRequest = withBody(request, ruleBody(compiled, plain, input, access));
  const rule = resolveRule(
    { catalog, access, request: ruleRequest, existing: stored },
    compiled.collection,
    'updateRule',
  );
  if (!(await storedRecordPasses(store, compiled, rule, id))) throw ApiError.notFound();
  const managing = !access.superuser && managesStored(store, catalog, compiled, access, ruleRequest, id);
  const manager = access.superuser || (managing !== false && (await managing));
  if (manager && !access.superuser) input = applyInput(compiled, stored, plain, access, 'update', true);
  stamp(compiled, input.values, 'update', nowDateTime());
  markSuperuserVerified(compiled, input.values);
  if (compiled.collection.type === 'auth') {
    const form = await authFormErrors(compiled, input, 'update', manager, stored);
    if (Object.keys(form).length) throw ApiError.badRequest(failureMessage('update'), form);
  }
  const data = inputErrors(compiled, input, 'update');
  // An id in the body must be the record's own: a record's id never changes (PocketBase's validation_pk_change).
  if (plain.id !== undefined && plain.id !== null && String(plain.id) !== id) {
    data.id = { code: 'validation_pk_change', message: 'The record primary key cannot be changed.' };
  }
  if (hasFileFields(compiled)) await checkUploads(compiled, input.values, stored, uploads, data);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage('update'), data);
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
