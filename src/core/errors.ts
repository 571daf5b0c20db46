// The closed set of errors the engine throws; src/api/errors.ts renders them for HTTP clients.
import { ConstraintViolation, StoreBusy, StoreUnavailable, UniqueViolation, ValueRejected } from './db/errors.js';

/** One field's problem, as PocketBase reports it: a stable code and a readable message. */
export interface FieldError {
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/** Field name -> error; nested objects are allowed for nested structures. */
export interface ErrorData {
  [field: string]: FieldError | ErrorData;
}

/** Marks ApiErrors with a key shared by every copy of this module (see `ApiError[Symbol.hasInstance]`). */
const API_ERROR = Symbol.for('satchel.ApiError');

/**
 * An error meant for the client: its status, a sentence and per-field details.
 * Anything that is not an ApiError is an internal failure and never shown as is.
 */
export class ApiError extends Error {
  readonly [API_ERROR] = true;

  /**
   * `instanceof ApiError` holds for an ApiError made by another copy of this module too: a pb_hooks file
   * loaded through tsx imports `satchel` as a separate module instance, and its errors must still render.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // A subclass keeps the ordinary prototype check.
    if (this !== ApiError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as { [API_ERROR]?: unknown })[API_ERROR] === true;
  }

  constructor(
    readonly status: number,
    message: string,
    readonly data: ErrorData = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static badRequest(message = 'Something went wrong while processing your request.', data: ErrorData = {}) {
    return new ApiError(400, message, data);
  }

  static unauthorized(message = 'Missing or invalid authentication.') {
    return new ApiError(401, message);
  }

  static forbidden(message = 'You are not allowed to perform this request.') {
    return new ApiError(403, message);
  }

  static notFound(message = "The requested resource wasn't found.") {
    return new ApiError(404, message);
  }

  static tooLarge(message = 'Request entity too large.') {
    return new ApiError(413, message);
  }

  static tooManyRequests(message = 'Too Many Requests.') {
    return new ApiError(429, message);
  }

  static internal() {
    return new ApiError(500, 'Something went wrong while processing your request.');
  }
}

/** A definition on disk that cannot be served; stops the server at boot. */
export class DefinitionError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'DefinitionError';
  }
}

/**
 * A storage failure a client can act on, as the ApiError it answers; anything else is returned as it is (an
 * internal error). `failure` is the message of a refused write ("Failed to create record.").
 */
export function storeFailureAsApiError(
  err: unknown,
  failure = 'Something went wrong while processing your request.',
): unknown {
  if (err instanceof UniqueViolation) {
    const data: ErrorData = {};
    for (const column of err.columns)
      data[column] = { code: 'validation_not_unique', message: 'Value must be unique.' };
    return ApiError.badRequest(failure, data);
  }
  if (err instanceof ValueRejected || err instanceof ConstraintViolation) return ApiError.badRequest(failure);
  if (err instanceof StoreBusy) return new ApiError(503, 'The database is busy; try again in a moment.');
  if (err instanceof StoreUnavailable) return new ApiError(503, 'The database cannot take writes right now.');
  return err;
}
