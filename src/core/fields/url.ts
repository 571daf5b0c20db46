// The `url` field: an absolute http(s) URL, optionally limited to or barred from some domains.
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

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

const urlOptions = optionsSchema({ onlyDomains: optionalDomains, exceptDomains: optionalDomains });

export const urlField: FieldType<OptionsOf<typeof urlOptions>> = {
  type: 'url',
  options: urlOptions,
  storage: () => ({ kind: 'text', empty: '' }),
  empty: () => '',
  cast: castText,
  schema: (field) =>
    v.pipe(
      v.string(mustBeText),
      requiredCheck<string>(field, (s) => s === '', NON_EMPTY_TEXT),
      withKeywords(
        v.check<string, string>(
          (s) => s === '' || parseUrl(s) !== undefined,
          fieldIssue('validation_is_url', 'Must be a valid url.'),
        ),
        unlessEmpty(field.required, { maxLength: 0 }, { format: 'uri', pattern: '^https?://' }),
      ),
      domainCheck(field, (s) => parseUrl(s)?.hostname ?? '', 'validation_url_domain_not_allowed'),
    ),
  toDb: (value) => value,
  fromDb: (value) => (value === null || value === undefined ? '' : String(value)),
};
