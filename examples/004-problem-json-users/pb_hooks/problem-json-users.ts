// Seed 004: POST /users (superusers only) answers 202 {userKey: <integer>}; every error of this route is
// RFC 9457 application/problem+json {type, title, status, detail, instance}, whatever the app-wide setting says.
import { bodyLimit } from 'hono/body-limit';
import { ApiError, readBody, requestInfo, v } from 'satchel';
import type { SatchelApp } from 'satchel';

export default function problemJsonUsers(app: SatchelApp): void {
  describeRoute(app);

  // userKey: 1, 2, 3 … from a sequence bumped inside the record's write transaction.
  app.onRecordCreate('users', async (e) => {
    e.record.userKey = await app.sequences.next('users.userKey');
    await e.next();
  });

  // This route's contract is problem+json: set it for the request, so a superuser switching the app-wide
  // `errors` setting back to PocketBase's shape does not change it (the serve flag sets it for every route).
  app.hono.use('/users', async (c, next) => {
    c.set('errorFormat', 'problem+json');
    await next();
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
    const access = c.get('access');
    // A missing token, or one that does not verify, leaves the caller a guest.
    if (!access.superuser && !access.auth) {
      throw ApiError.unauthorized('The request lacks valid authentication credentials.');
    }
    const body = await readBody(c);
    const { email, password, name } = body;
    // The engine applies the collection's createRule (null: superusers only, so a signed-in user gets a 403),
    // then validates: a bad or taken e-mail, a short password, ... are a 400 naming the fields in `errors`.
    const record = await app.records.create(
      'users',
      { email, password, passwordConfirm: password, name },
      access,
      requestInfo(c, body),
    );
    return c.json({ userKey: record.userKey }, 202);
  });
}

/** POST /users in the API reference (/api/docs), as seed 004 documents it: 202 `{userKey}`, problem+json errors. */
function describeRoute(app: SatchelApp): void {
  const body = { email: 'ada@example.com', password: 'password123', name: 'Ada' };
  app.describeRoute(() => ({
    method: 'post',
    path: '/users',
    tag: 'Users (seed 004)',
    summary: 'Create user',
    auth: 'required',
    errorFormat: 'problem+json',
    body: v.object({
      email: v.pipe(v.string(), v.email()),
      password: v.pipe(v.string(), v.minLength(8)),
      name: v.optional(app.fieldSchema('users', 'name')),
    }),
    examples: {
      created: { summary: 'A new user', value: body, status: 202 },
      missingFields: { summary: 'A body without its fields', value: {}, status: 400 },
    },
    responses: {
      202: {
        description: 'The user was created successfully.',
        body: v.object({ userKey: v.pipe(v.number(), v.integer()) }),
        example: { userKey: 1 },
      },
      400: {
        description: 'Unable to create the user. More details are provided in the response body.',
        error: {
          message: 'Failed to create record.',
          data: { email: { code: 'validation_required', message: 'Cannot be blank.' } },
        },
      },
      401: {
        description: 'The request lacks valid authentication credentials.',
        error: { message: 'The request lacks valid authentication credentials.' },
      },
      403: {
        description: 'The request to create a user was denied.',
        error: { message: 'Only superusers can perform this action.' },
      },
      500: {
        description: 'An internal error occurred while processing the request.',
        error: { message: 'Something went wrong while processing your request.' },
      },
    },
  }));
}
