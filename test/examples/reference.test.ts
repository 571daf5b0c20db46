// The examples' custom routes in the API reference: each seed's route with its own shapes and statuses, in a
// valid document whose examples the running example server answers as documented.
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../src/app.js';
import { openApiProblems, runExamples } from '../helpers/openapi-examples.js';
import { exampleApp, superuserToken, type ExampleApp } from './helpers.js';

let running: { example: ExampleApp; server: RunningServer } | undefined;

afterEach(async () => {
  await running?.server.close();
  await running?.example.cleanup();
  running = undefined;
});

/** The example served on a loopback port, its superusers' document, and a superuser's token. */
async function serve(name: string): Promise<{ doc: any; url: string; token: string }> {
  const example = await exampleApp(name);
  const server = await example.app.listen({ port: 0 });
  running = { example, server };
  const token = await superuserToken(example.app);
  const doc = await (await fetch(`${server.url}/api/openapi.json`, { headers: { authorization: token } })).json();
  expect(await openApiProblems(doc)).toEqual([]);
  return { doc, url: server.url, token };
}

const statuses = (op: any) => Object.keys(op.responses);

describe('the seeds in /api/openapi.json', () => {
  it('000: POST /users and GET/PUT/DELETE /users/{id}, with their statuses and shapes', async () => {
    const { doc, url, token } = await serve('000-pet-store-users');
    const create = doc.paths['/users'].post;
    expect(statuses(create)).toEqual(['201', '400', '401', '403', '413', '429', '500']);
    expect(create.requestBody.content['application/json'].schema.required).toEqual([
      'username',
      'firstName',
      'lastName',
      'email',
      'password',
    ]);
    // The fields are checked as the collection checks them: the phone's pattern comes from its definition.
    expect(create.requestBody.content['application/json'].schema.properties.phone.pattern).toContain('^\\+[1-9]');
    expect(create.responses['201'].content['application/json'].schema.properties.user.required).toEqual([
      'id',
      'username',
      'firstName',
      'lastName',
      'email',
      'phone',
    ]);
    expect(Object.keys(doc.paths['/users/{id}']).sort()).toEqual(['delete', 'get', 'put']);
    expect(statuses(doc.paths['/users/{id}'].delete)).toEqual(['204', '401', '403', '404']);
    const run = await runExamples(doc, url, token);
    expect(run.failures).toEqual([]);
    expect(run.sent).toContain('POST /users seed -> 201');
    expect(run.sent).toContain('POST /users missingFields -> 400');
  });

  it('001: POST /v1/users with {error, message} errors (400, 401, 409, 500)', async () => {
    const { doc, url, token } = await serve('001-v1-users');
    const create = doc.paths['/v1/users'].post;
    expect(statuses(create)).toEqual(['201', '400', '401', '409', '500']);
    expect(create.responses['409'].content['application/json'].schema).toMatchObject({
      properties: { error: { enum: ['email_exists'] }, message: { type: 'string' } },
    });
    const run = await runExamples(doc, url, token);
    expect(run.failures).toEqual([]);
    expect(run.sent).toEqual(
      expect.arrayContaining([
        'POST /v1/users seed -> 201',
        'POST /v1/users missingEmail -> 400',
        'POST /v1/users taken -> 409',
      ]),
    );
  });

  it('002: PUT /user, built in', async () => {
    const { doc, url, token } = await serve('002-put-user');
    expect(statuses(doc.paths['/user'].put)).toEqual(['200', '400']);
    const run = await runExamples(doc, url, token);
    expect(run.failures).toEqual([]);
    expect(run.sent).toContain('PUT /user signedUp -> 200');
  });

  it('003: POST /users with kebab-case fields and an integer id', async () => {
    const { doc, url, token } = await serve('003-kebab-users');
    const create = doc.paths['/users'].post;
    expect(statuses(create)).toEqual(['201', '400', '413']);
    expect(create.requestBody.content['application/json'].schema.required).toEqual([
      'last-name',
      'first-name',
      'email',
    ]);
    expect(create.responses['201'].content['application/json'].schema.properties.id).toEqual({ type: 'integer' });
    const run = await runExamples(doc, url, token);
    expect(run.failures).toEqual([]);
    expect(run.sent).toContain('POST /users seed -> 201');
  });

  it('004: POST /users answering 202 {userKey}, every error application/problem+json', async () => {
    const { doc, url, token } = await serve('004-problem-json-users');
    const create = doc.paths['/users'].post;
    expect(statuses(create)).toEqual(['202', '400', '401', '403', '500']);
    for (const status of ['400', '401', '403', '500']) {
      expect(Object.keys(create.responses[status].content)).toEqual(['application/problem+json']);
    }
    expect(create.responses['401'].content['application/problem+json'].example).toMatchObject({
      type: 'about:blank',
      status: 401,
      detail: 'The request lacks valid authentication credentials.',
    });
    const run = await runExamples(doc, url, token);
    expect(run.failures).toEqual([]);
    expect(run.sent).toContain('POST /users created -> 202');
    expect(run.sent).toContain('POST /users missingFields -> 400');
  });
});
