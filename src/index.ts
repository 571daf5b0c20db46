// The public library surface for users who embed or extend Satchel.
export { createApp, DEFAULT_HOST, DEFAULT_PORT } from './app.js';
export type { AppOptions, ListenOptions, RunningServer, SatchelApp } from './app.js';
export { ApiError } from './core/errors.js';
export type { ErrorData, FieldError } from './core/errors.js';
export type { Access, AuthIdentity } from './core/records/access.js';
export type { Collection } from './core/collections/model.js';
export type { RecordJson } from './core/records/serialize.js';
export type { ListResult } from './core/records/service.js';
