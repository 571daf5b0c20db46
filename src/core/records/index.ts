// The record engine's public face inside core: what auth, the engine and extensions may use.
export { RecordService, type ListResult } from './service.js';
export { GUEST, SUPERUSER, accessOf, type Access, type AuthIdentity } from './access.js';
export type { RecordJson } from './read/export.js';
export { pageParams, type ListParams } from './read/list-params.js';
export { EMPTY_REQUEST, ruleHeaderName, withBody, withContext, type RequestInfo } from './request-info.js';
export type { ChangeListener, RecordChange, WriteContext } from './write/pipeline.js';
export {
  RecordHooks,
  type RecordErrorEvent,
  type RecordModelEvent,
  type RecordRequestEvent,
  type RecordSuccessEvent,
  type WriteCause,
} from './events.js';
export { checkRules } from './rules/boot-check.js';
// What a body may set and what an answer never shows: the API reference documents the same decisions.
export { isServerOwned } from './write/input.js';
export { isSecret } from './compiled.js';
export { pickFields } from './read/pick-fields.js';
export { toRow } from './compiled.js';
