// PUT /user (seed 002): sign-up for the `users` collection with a typed body, answering the record plus a token.
import { ApiError, type ErrorData } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { Access } from '../records/access.js';
import type { RecordService } from '../records/service.js';
import type { SettingsService } from '../settings/settings.js';
import type { AuthService } from './service.js';

export const PUT_USER_COLLECTION = 'users';

/** One problem with the body's types, worded as zod words it (the contract's clients expect exactly this). */
export interface TypeIssue {
  code: 'invalid_type';
  expected: string;
  received: string;
  path: string[];
  message: string;
}

export type PutUserOutcome =
  | { kind: 'created'; user: Record<string, unknown> }
  | { kind: 'invalid_params'; issues: TypeIssue[] }
  | { kind: 'invalid_record'; message: string; data: ErrorData };

/** The body's fields, all required strings, in the contract's order. */
const BODY_FIELDS = ['username', 'password', 'passwordConfirm', 'email'] as const;

/** The 200's record fields with their values when the collection lacks the field; `token` joins them. */
const RESPONSE_DEFAULTS: Record<string, unknown> = {
  avatar: '',
  bio: '',
  collectionId: '',
  collectionName: '',
  created: '',
  emailVisibility: false,
  id: '',
  updated: '',
  username: '',
  verified: false,
};

/** zod's name for the type of a parsed JSON value. */
function typeName(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isNaN(value) ? 'nan' : 'number';
  return typeof value;
}

function typeIssue(expected: string, value: unknown, path: string[]): TypeIssue {
  const received = typeName(value);
  const message = received === 'undefined' ? 'Required' : `Expected ${expected}, received ${received}`;
  return { code: 'invalid_type', expected, received, path, message };
}

/** Every type problem of the body: not an object, or a field missing or not a string. */
export function putUserTypeIssues(body: unknown): TypeIssue[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return [typeIssue('object', body, [])];
  const fields = body as Record<string, unknown>;
  return BODY_FIELDS.filter((key) => typeof fields[key] !== 'string').map((key) =>
    typeIssue('string', fields[key], [key]),
  );
}

export class PutUserService {
  constructor(
    private readonly settings: SettingsService,
    private readonly records: RecordService,
    private readonly auth: AuthService,
  ) {}

  /** The `users` auth collection while the route is switched on; undefined when it is not served. */
  private servedCollection(): Collection | undefined {
    if (!this.settings.get().putUser.enabled) return undefined;
    return this.auth.findAuthCollection(PUT_USER_COLLECTION);
  }

  /** Creates the user through the record engine (its rules, validation and hashing) and signs it in. */
  async create(body: unknown, access: Access): Promise<PutUserOutcome> {
    const collection = this.servedCollection();
    if (!collection) throw ApiError.notFound();
    const issues = putUserTypeIssues(body);
    if (issues.length) return { kind: 'invalid_params', issues };
    const fields = body as Record<string, string>;
    const input = Object.fromEntries(BODY_FIELDS.map((key) => [key, fields[key]]));
    let id: string;
    try {
      id = String((await this.records.create(collection.id, input, access)).id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400)
        return { kind: 'invalid_record', message: err.message, data: err.data };
      throw err;
    }
    const { token, record } = await this.auth.respondById(collection, id, access);
    const values: Record<string, unknown> = { ...RESPONSE_DEFAULTS, token };
    for (const key of Object.keys(RESPONSE_DEFAULTS)) if (key in record) values[key] = record[key];
    // Sorted keys, as the seed shows them.
    const user = Object.fromEntries(
      Object.keys(values)
        .sort()
        .map((key) => [key, values[key]]),
    );
    return { kind: 'created', user };
  }
}
