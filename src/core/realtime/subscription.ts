// A subscription as clients send it: `TOPIC` or `TOPIC?options={"query":{...},"headers":{...}}` (what the
// official SDKs encode), parsed into the topic and the request the rules see for it.
import { ApiError, type ErrorData } from '../errors.js';
import { ruleHeaderName } from '../records/index.js';

/** PocketBase's limits: subscriptions per request and characters per subscription. */
export const MAX_SUBSCRIPTIONS = 1000;
export const MAX_SUBSCRIPTION_LENGTH = 2500;

export interface SubscriptionOptions {
  /** Query parameters for this topic (`filter`, `expand`, `fields`, anything a rule reads as `@request.query`). */
  query: Record<string, string>;
  /** Headers for this topic, named as rules see them (`x_token`). */
  headers: Record<string, string>;
}

export interface Subscription {
  /** The subscription exactly as sent: the event name its messages carry. */
  key: string;
  /** Before the `?`: `posts/*`, `posts/RECORD_ID`, or a custom topic. */
  topic: string;
  options: SubscriptionOptions;
}

class SubscriptionError extends Error {}

/** Strings, numbers and booleans only, as query parameters and headers are. */
function stringMap(value: unknown, what: string, name: (key: string) => string = (k) => k): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SubscriptionError(`"${what}" must be an object.`);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v === 'string') out[name(key)] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[name(key)] = String(v);
    else if (v !== null && v !== undefined) throw new SubscriptionError(`"${what}.${key}" must be a string.`);
  }
  return out;
}

function parseOne(key: string): Subscription {
  const q = key.indexOf('?');
  const topic = q === -1 ? key : key.slice(0, q);
  if (!topic) throw new SubscriptionError('The topic is empty.');
  // The subscription names the events sent for it: a line break would end the event's name in the stream.
  if (/[\r\n\0]/.test(key)) throw new SubscriptionError('A subscription cannot contain line breaks.');
  if (q === -1) return { key, topic, options: { query: {}, headers: {} } };
  const raw = new URLSearchParams(key.slice(q + 1)).get('options');
  if (!raw) return { key, topic, options: { query: {}, headers: {} } };
  let decoded: unknown;
  try {
    decoded = JSON.parse(raw);
  } catch {
    throw new SubscriptionError('"options" is not valid JSON.');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new SubscriptionError('"options" must be a JSON object such as {"query":{...},"headers":{...}}.');
  }
  const { query, headers } = decoded as { query?: unknown; headers?: unknown };
  return {
    key,
    topic,
    options: { query: stringMap(query, 'query'), headers: stringMap(headers, 'headers', ruleHeaderName) },
  };
}

/**
 * Parses the `subscriptions` of a POST /api/realtime body. Empty strings are skipped (as PocketBase does); a
 * malformed entry is a 400 naming it (`subscriptions.3`).
 */
export function parseSubscriptions(list: unknown): Subscription[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw ApiError.badRequest(undefined, {
      subscriptions: { code: 'validation_invalid_value', message: 'Must be a list of topics.' },
    });
  }
  if (list.length > MAX_SUBSCRIPTIONS) {
    throw ApiError.badRequest(undefined, {
      subscriptions: {
        code: 'validation_length_out_of_range',
        message: `At most ${MAX_SUBSCRIPTIONS} subscriptions per client.`,
      },
    });
  }
  const errors: ErrorData = {};
  const parsed: Subscription[] = [];
  list.forEach((entry, i) => {
    if (typeof entry !== 'string') {
      errors[i] = { code: 'validation_invalid_value', message: 'Must be a string.' };
    } else if (entry.length > MAX_SUBSCRIPTION_LENGTH) {
      errors[i] = {
        code: 'validation_length_out_of_range',
        message: `The length must be at most ${MAX_SUBSCRIPTION_LENGTH} characters.`,
      };
    } else if (entry !== '') {
      try {
        parsed.push(parseOne(entry));
      } catch (err) {
        if (!(err instanceof SubscriptionError)) throw err;
        errors[i] = { code: 'validation_invalid_subscription', message: err.message };
      }
    }
  });
  if (Object.keys(errors).length) throw ApiError.badRequest(undefined, { subscriptions: errors });
  return parsed;
}
