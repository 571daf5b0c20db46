// A caller's delete: the record loaded through the delete rule, then the write pipeline (with its cascades).
import { ApiError } from '../../errors.js';
import type { Access } from '../access.js';
import type { CompiledCollection } from '../compiled.js';
import type { RequestInfo } from '../request-info.js';
import { resolveRule } from '../rules/resolve.js';
import type { WriteDeps } from './context.js';

export async function deleteRecord(
  deps: WriteDeps,
  compiled: CompiledCollection,
  id: string,
  access: Access,
  request: RequestInfo,
): Promise<void> {
  const rule = resolveRule({ catalog: deps.catalog, access, request }, compiled.collection, 'deleteRule');
  const stored = await deps.reader.storedPassing(compiled, rule, id);
  if (!stored) throw ApiError.notFound();
  await deps.writer.delete(compiled, stored, { access, request });
}
