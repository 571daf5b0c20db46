// A caller's create: the create rule, the body applied and checked, sealed fields sealed, then the write pipeline.
import { nowDateTime } from '../../datetime.js';
import { ApiError } from '../../errors.js';
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';
import type { RecordJson } from '../read/export.js';
import { withBody, type RequestInfo } from '../request-info.js';
import { newRecordPasses } from '../rules/checks.js';
import { managesNew } from '../rules/manage.js';
import { assertUnlocked, resolveRule } from '../rules/resolve.js';
import { authFormErrors, markSuperuserVerified } from './auth-collection.js';
import type { WriteDeps } from './context.js';
import { checkUploads, hasFileFields, removeOnRollback, removeQuietly, storeUploads, takeUploads } from './files.js';
import { applyInput, ruleBody } from './input.js';
import { stamp } from './pipeline.js';
import { seal } from './seal.js';
import { emptyValues, failureMessage, inputErrors } from './validate.js';

export async function createRecord(
  deps: WriteDeps,
  compiled: CompiledCollection,
  body: Record<string, unknown>,
  access: Access,
  request: RequestInfo,
): Promise<RecordJson> {
  const { catalog } = deps;
  const [plain, uploads] = takeUploads(compiled, body);
  assertUnlocked(compiled.collection, 'createRule', access);
  let input = applyInput(compiled, emptyValues(compiled), plain, access, 'create');
  const ruleRequest = withBody(request, ruleBody(compiled, plain, input, access));
  const rule = resolveRule({ catalog, access, request: ruleRequest }, compiled.collection, 'createRule');
  // A caller the manageRule admits for the new record may set what only superusers set otherwise (verified).
  const managing = !access.superuser && managesNew(deps.store, catalog, compiled, access, ruleRequest, input.values);
  const manager = access.superuser || (managing !== false && (await managing));
  if (manager && !access.superuser) input = applyInput(compiled, emptyValues(compiled), plain, access, 'create', true);
  const { values } = input;
  for (const f of compiled.fields) {
    if (f.type.generate && (values[f.def.name] === '' || values[f.def.name] === undefined)) {
      const generated = f.type.generate(f.def);
      if (generated !== undefined) values[f.def.name] = generated;
    }
  }
  stamp(compiled, values, 'create', nowDateTime());
  markSuperuserVerified(compiled, values);
  if (compiled.collection.type === 'auth') {
    const form = await authFormErrors(compiled, input, 'create', manager);
    if (Object.keys(form).length) throw ApiError.badRequest(failureMessage('create'), form);
  }
  const data = inputErrors(compiled, input, 'create');
  if (hasFileFields(compiled)) await checkUploads(compiled, values, undefined, uploads, data);
  if (Object.keys(data).length) throw ApiError.badRequest(failureMessage('create'), data);
  // The rule sees the record as it would be stored, unverified (as PocketBase's dummy record: a manager's
  // `verified: true` must not help it pass).
  const judged = compiled.collection.type === 'auth' ? { ...values, verified: false } : values;
  if (rule.kind !== 'all' && !(await newRecordPasses(deps.store, compiled, rule, judged, catalog.dialect))) {
    throw ApiError.badRequest(failureMessage('create'));
  }
  if (input.sealed.size) await seal(compiled, input);
  // Files first: a record is never committed pointing at a file that is not stored yet.
  const written = uploads.size ? await storeUploads(deps.files, compiled, values, uploads) : [];
  let record: RecordJson;
  try {
    record = await deps.writer.create(compiled, values, { access, request });
  } catch (err) {
    await removeQuietly(deps.files, written);
    throw err;
  }
  removeOnRollback(deps.store, deps.files, written);
  return deps.reader.exportOne(compiled, record, access, request);
}
