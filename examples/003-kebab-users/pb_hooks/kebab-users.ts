// Seed 003: POST /users with kebab-case fields (last-name, first-name, email) answers them with an integer id
// the server assigns: 1, 2, 3 … in creation order, never reused, from a counter bumped inside the write transaction.
import { bodyLimit } from 'hono/body-limit';
import { ApiError, readBody, requestInfo, v } from 'satchel';
import type { ErrorData, RecordJson, SatchelApp } from 'satchel';

/** Contract name -> field name (field names are identifiers, so the collection stores camelCase). */
const FIELDS = { 'last-name': 'lastName', 'first-name': 'firstName', email: 'email' } as const;
type ContractName = keyof typeof FIELDS;
const CONTRACT_NAMES = Object.keys(FIELDS) as ContractName[];

/** The record in the contract's shape: the three fields, then the integer id. */
function toContract(record: RecordJson): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of CONTRACT_NAMES) out[name] = record[FIELDS[name]];
  out.id = record.seq;
  return out;
}

/** The engine's field errors under the contract's names (lastName -> last-name). */
function contractErrors(data: ErrorData): ErrorData {
  const out: ErrorData = {};
  for (const [field, error] of Object.entries(data)) {
    out[CONTRACT_NAMES.find((name) => FIELDS[name] === field) ?? field] = error;
  }
  return out;
}

export default function kebabUsers(app: SatchelApp): void {
  describeRoute(app);

  // Model hooks run inside the record's write transaction: concurrent creates are serialized, and a create
  // that fails after this point rolls the counter back with it, so there are no gaps either.
  app.onRecordCreate('users', async (e) => {
    // A sequence only counts up, so a number is never handed out twice, even after deletes.
    e.record.seq = await app.sequences.next('users');
    await e.next();
  });

  app.hono.use(
    '/users',
    bodyLimit({
      maxSize: 64 * 1024,
      onError: () => {
        throw ApiError.tooLarge();
      },
    }),
  );

  app.hono.post('/users', async (c) => {
    const body = await readBody(c);
    const errors: ErrorData = {};
    if (body.id !== undefined)
      errors.id = { code: 'validation_server_assigned', message: 'The server assigns the id.' };
    for (const name of CONTRACT_NAMES) {
      if (body[name] !== undefined && typeof body[name] !== 'string') {
        errors[name] = { code: 'validation_invalid_type', message: 'Must be a string.' };
      }
    }
    if (Object.keys(errors).length) throw ApiError.badRequest('Failed to create record.', errors);

    const input = Object.fromEntries(CONTRACT_NAMES.map((name) => [FIELDS[name], body[name]]));
    try {
      const record = await app.records.create('users', input, c.get('access'), requestInfo(c, body));
      return c.json(toContract(record), 201);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) {
        throw ApiError.badRequest(err.message, contractErrors(err.data));
      }
      throw err;
    }
  });
}

/** POST /users in the API reference (/api/docs), as seed 003 documents it: kebab-case fields, an integer id. */
function describeRoute(app: SatchelApp): void {
  const field = (name: string) => app.fieldSchema('users', name);
  const seedBody = { 'last-name': 'Meere', 'first-name': 'John', email: 'johnm@gmail.com' };
  app.describeRoute(() => ({
    method: 'post',
    path: '/users',
    tag: 'Users Resource (seed 003)',
    summary: 'Create a new user',
    description: 'The server assigns the `id` (1, 2, 3 …): do not send one.',
    auth: 'none',
    body: v.object({ 'last-name': field('lastName'), 'first-name': field('firstName'), email: field('email') }),
    examples: {
      seed: { summary: "The seed's request", value: seedBody, status: 201 },
      missingFields: { summary: 'A body without its fields', value: {}, status: 400 },
    },
    responses: {
      201: {
        description: 'The user was created.',
        body: v.object({
          'last-name': v.string(),
          'first-name': v.string(),
          email: v.string(),
          id: v.pipe(v.number(), v.integer()),
        }),
        example: { ...seedBody, id: 5 },
      },
      400: {
        description: 'A field missing, not a string or invalid, or an `id` sent; each named.',
        error: {
          message: 'Failed to create record.',
          data: { 'last-name': { code: 'validation_required', message: 'Cannot be blank.' } },
        },
      },
      413: { description: 'A body over 64 KiB.', error: { message: 'Request entity too large.' } },
    },
  }));
}
