// The `email` field: an address, optionally limited to or barred from some domains.
import * as v from 'valibot';
import {
  castText,
  domainCheck,
  mustBeText,
  NON_EMPTY_TEXT,
  optionalDomains,
  optionsSchema,
  requiredCheck,
  type OptionsOf,
} from './common.js';
import { fieldIssue } from './issue.js';
import { unlessEmpty, withKeywords } from './json-schema.js';
import type { FieldType } from './types.js';

// Deliberately simple: one @, no spaces, a dot in the domain; the mailbox decides the rest.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const emailOptions = optionsSchema({ onlyDomains: optionalDomains, exceptDomains: optionalDomains });

export const emailField: FieldType<OptionsOf<typeof emailOptions>> = {
  type: 'email',
  options: emailOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: castText,
  schema: (field) =>
    v.pipe(
      v.string(mustBeText),
      requiredCheck<string>(field, (s) => s === '', NON_EMPTY_TEXT),
      withKeywords(
        v.check<string, string>(
          (s) => s === '' || (s.length <= 255 && EMAIL.test(s)),
          fieldIssue('validation_is_email', 'Must be a valid email address.'),
        ),
        unlessEmpty(field.required, { maxLength: 0 }, { format: 'email', maxLength: 255 }),
      ),
      domainCheck(field, (s) => s.slice(s.lastIndexOf('@') + 1), 'validation_email_domain_not_allowed'),
    ),
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};
