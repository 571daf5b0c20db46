// Error responses as the server writes them (api/errors.ts renders them): PocketBase's `{status, message, data}`
// or RFC 9457 problem details, whichever format the settings choose, with an example each.
import { STATUS_CODES } from 'node:http';
import type { ErrorData } from '../errors.js';
import type { ErrorFormat } from '../settings/settings.js';
import type { JsonSchema } from './json-schema.js';

/** The media type of an error body in `format`. */
export function errorMediaType(format: ErrorFormat): string {
  return format === 'problem+json' ? 'application/problem+json' : 'application/json';
}

const FIELD_ERRORS: JsonSchema = {
  type: 'object',
  description: 'The fields that were refused, each with a code (`validation_required`, ...) and a message.',
  additionalProperties: {
    type: 'object',
    properties: { code: { type: 'string' }, message: { type: 'string' } },
    required: ['code', 'message'],
  },
};

/** The error body schemas, for components.schemas. */
export function errorSchemas(): Record<string, JsonSchema> {
  return {
    Error: {
      type: 'object',
      description: "PocketBase's error body.",
      properties: { status: { type: 'integer' }, message: { type: 'string' }, data: FIELD_ERRORS },
      required: ['status', 'message', 'data'],
    },
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem details; field errors are under `errors`.',
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        instance: { type: 'string' },
        errors: FIELD_ERRORS,
      },
      required: ['type', 'title', 'status', 'detail'],
    },
  };
}

/** The body the server writes for an error, in `format` (`path` is the request's path, for `instance`). */
export function errorBody(
  format: ErrorFormat,
  status: number,
  message: string,
  data: ErrorData = {},
  path = '/',
): Record<string, unknown> {
  if (format === 'problem+json') {
    return {
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      detail: message,
      instance: path,
      ...(Object.keys(data).length ? { errors: data } : {}),
    };
  }
  return { status, message, data };
}

/** An OpenAPI response object for an error. */
export function errorResponse(
  format: ErrorFormat,
  status: number,
  description: string,
  message: string,
  data: ErrorData = {},
  path = '/',
): Record<string, unknown> {
  return {
    description,
    content: {
      [errorMediaType(format)]: {
        schema: { $ref: `#/components/schemas/${format === 'problem+json' ? 'Problem' : 'Error'}` },
        example: errorBody(format, status, message, data, path),
      },
    },
  };
}
