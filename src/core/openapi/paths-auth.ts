// The auth routes of one auth collection: sign-in (password, OTP), refresh, methods, the e-mail flows, impersonate.
import type { Collection } from '../collections/model.js';
import { passwordAuthOptions } from '../auth/password-auth.js';
import { otpOptions } from '../auth/otp.js';
import type { ErrorFormat } from '../settings/settings.js';
import { errorResponse } from './errors.js';
import { EXAMPLE_PASSWORD } from './examples.js';
import type { JsonSchema } from './json-schema.js';
import { commonErrors, jsonResponse, NO_CONTENT, sdkSample, type OperationSpec } from './operation.js';
import { createExample, type Audience, type CollectionSchemas } from './record-schemas.js';
import { group } from './paths-records.js';

const object = (properties: Record<string, JsonSchema>, required: string[]): JsonSchema => ({
  type: 'object',
  properties,
  required,
});
const text = (description: string): JsonSchema => ({ type: 'string', description });

/** The auth paths of `collection`, keyed by path then method. */
export function authPaths(
  collection: Collection,
  schemas: CollectionSchemas,
  audience: Audience,
  format: ErrorFormat,
): Record<string, Record<string, JsonSchema>> {
  const name = collection.name;
  const at = (route: string) => `/api/collections/${name}/${route}`;
  const tag = `${name} auth`;
  const authResponse = object(
    {
      token: text('The auth token: send it as `Authorization: <token>`.'),
      record: { $ref: `#/components/schemas/${schemas.names.record}` },
    },
    ['token', 'record'],
  );
  const example = createExample(collection, audience);
  const identityField = passwordAuthOptions(collection).identityFields[0] ?? 'email';
  const identity = example?.[identityField];
  const ops: OperationSpec[] = [];
  const bad = (path: string, message: string, data = {}) =>
    errorResponse(format, 400, 'The body was refused.', message, data, path);

  ops.push({
    method: 'get',
    path: at('auth-methods'),
    tag,
    summary: `Sign-in methods of ${name}`,
    operationId: `authMethods_${name}`,
    auth: 'none',
    responses: { '200': jsonResponse('The enabled methods and their options.', { type: 'object' }) },
    sdk: sdkSample(`const methods = await pb.collection('${name}').listAuthMethods();`),
  });
  if (passwordAuthOptions(collection).enabled) {
    const path = at('auth-with-password');
    ops.push({
      method: 'post',
      path,
      tag,
      summary: `Sign in to ${name} with a password`,
      description: `The identity is any of ${passwordAuthOptions(collection)
        .identityFields.map((f) => `\`${f}\``)
        .join(', ')}, matched case-insensitively. With MFA on, the first step answers 401 with an \`mfaId\`.`,
      operationId: `authWithPassword_${name}`,
      auth: 'none',
      body: {
        schema: object(
          {
            identity: text('An e-mail or another identity field.'),
            password: { type: 'string' },
            identityField: text('Which identity field to match.'),
          },
          ['identity', 'password'],
        ),
        examples: {
          ...(typeof identity === 'string'
            ? {
                signedIn: {
                  summary: 'The example record signs in',
                  value: { identity, password: EXAMPLE_PASSWORD },
                  status: 200,
                },
              }
            : {}),
          wrongPassword: {
            summary: 'A wrong password',
            value: { identity: 'nobody@example.com', password: 'wrong-password' },
            status: 400,
          },
        },
      },
      responses: {
        '200': jsonResponse('Signed in.', authResponse),
        '400': bad(path, 'Failed to authenticate.'),
      },
      sdk: sdkSample(
        `const { token, record } = await pb.collection('${name}').authWithPassword('${typeof identity === 'string' ? identity : 'user@example.com'}', '${EXAMPLE_PASSWORD}');`,
      ),
    });
  }
  ops.push({
    method: 'post',
    path: at('auth-refresh'),
    tag,
    summary: `Refresh a ${name} token`,
    operationId: `authRefresh_${name}`,
    auth: 'required',
    responses: {
      '200': jsonResponse('A new token and the record.', authResponse),
      ...commonErrors(format, at('auth-refresh'), { 401: true, 403: true, 404: true }),
    },
    sdk: sdkSample(`await pb.collection('${name}').authRefresh();`),
  });
  if (otpOptions(collection).enabled) {
    ops.push({
      method: 'post',
      path: at('request-otp'),
      tag,
      summary: `Send a one-time code (${name})`,
      operationId: `requestOtp_${name}`,
      auth: 'none',
      body: { schema: object({ email: { type: 'string', format: 'email' } }, ['email']) },
      responses: {
        '200': jsonResponse(
          'The id of the code (also for an unknown address).',
          object({ otpId: { type: 'string' } }, ['otpId']),
        ),
        '400': bad(at('request-otp'), 'An error occurred while validating the submitted data.'),
      },
      sdk: sdkSample(`const { otpId } = await pb.collection('${name}').requestOTP('user@example.com');`),
    });
    ops.push({
      method: 'post',
      path: at('auth-with-otp'),
      tag,
      summary: `Sign in to ${name} with a one-time code`,
      operationId: `authWithOtp_${name}`,
      auth: 'none',
      body: {
        schema: object({ otpId: { type: 'string' }, password: text('The code from the e-mail.') }, [
          'otpId',
          'password',
        ]),
      },
      responses: {
        '200': jsonResponse('Signed in.', authResponse),
        '400': bad(at('auth-with-otp'), 'Failed to authenticate.'),
      },
      sdk: sdkSample(`await pb.collection('${name}').authWithOTP(otpId, code);`),
    });
  }
  const flows: [string, string, string, JsonSchema, AuthNeedFlow, string][] = [
    [
      'request-verification',
      'Send a verification e-mail',
      'requestVerification',
      object({ email: { type: 'string', format: 'email' } }, ['email']),
      'none',
      `requestVerification('user@example.com')`,
    ],
    [
      'confirm-verification',
      'Confirm a verification',
      'confirmVerification',
      object({ token: text('The token from the e-mail.') }, ['token']),
      'none',
      `confirmVerification(token)`,
    ],
    [
      'request-password-reset',
      'Send a password reset e-mail',
      'requestPasswordReset',
      object({ email: { type: 'string', format: 'email' } }, ['email']),
      'none',
      `requestPasswordReset('user@example.com')`,
    ],
    [
      'confirm-password-reset',
      'Set a new password',
      'confirmPasswordReset',
      object({ token: { type: 'string' }, password: { type: 'string' }, passwordConfirm: { type: 'string' } }, [
        'token',
        'password',
        'passwordConfirm',
      ]),
      'none',
      `confirmPasswordReset(token, 'newPassword1', 'newPassword1')`,
    ],
    [
      'request-email-change',
      'Send an e-mail change confirmation',
      'requestEmailChange',
      object({ newEmail: { type: 'string', format: 'email' } }, ['newEmail']),
      'required',
      `requestEmailChange('new@example.com')`,
    ],
    [
      'confirm-email-change',
      'Confirm an e-mail change',
      'confirmEmailChange',
      object({ token: { type: 'string' }, password: { type: 'string' } }, ['token', 'password']),
      'none',
      `confirmEmailChange(token, 'password123')`,
    ],
  ];
  for (const [route, summary, id, schema, auth, call] of flows) {
    ops.push({
      method: 'post',
      path: at(route),
      tag,
      summary: `${summary} (${name})`,
      operationId: `${id}_${name}`,
      auth,
      body: { schema },
      responses: {
        '204': NO_CONTENT,
        '400': bad(at(route), 'An error occurred while validating the submitted data.'),
        ...(auth === 'required' ? commonErrors(format, at(route), { 401: true }) : {}),
      },
      sdk: sdkSample(`await pb.collection('${name}').${call};`),
    });
  }
  if (audience === 'superuser') {
    const path = `/api/collections/${name}/impersonate/{id}`;
    ops.push({
      method: 'post',
      path,
      tag,
      summary: `Impersonate a ${name} record (superusers)`,
      operationId: `impersonate_${name}`,
      auth: 'required',
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      body: {
        schema: object({ duration: { type: 'integer', minimum: 0, description: 'Seconds the token lasts.' } }, []),
        required: false,
      },
      responses: {
        '200': jsonResponse('A token that acts as the record.', authResponse),
        ...commonErrors(format, path, { 401: true, 403: true, 404: true }),
      },
      sdk: sdkSample(`const client = await pb.collection('${name}').impersonate('RECORD_ID', 3600);`),
    });
  }
  return group(ops);
}

type AuthNeedFlow = 'none' | 'required';
