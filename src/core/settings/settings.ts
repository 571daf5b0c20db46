// Application settings kept in pb_data (`_params`), with defaults given when the app is created.
import * as v from 'valibot';
import { ApiError, type ErrorData } from '../errors.js';
import type { Params } from './params.js';

/** How error responses are written: PocketBase's `{status, message, data}` or RFC 9457 problem details. */
export type ErrorFormat = 'pocketbase' | 'problem+json';

/**
 * Behind a reverse proxy: the headers that carry the client's IP (the first one present is used). Empty: the
 * socket's address, and forwarding headers are ignored (a client could write them).
 */
export interface TrustedProxy {
  headers: string[];
  /** In a list such as X-Forwarded-For, the leftmost address (the first hop) rather than the rightmost. */
  useLeftmostIP: boolean;
}

/** PocketBase's `meta`: the application's name and public address, and who its mail comes from. */
export interface MetaSettings {
  appName: string;
  /** The public URL e-mail links point at ('' = the flag, else the address the server listens on). */
  appURL: string;
  senderName: string;
  /** The From address of e-mails ('' = the flag, else `no-reply@localhost`). */
  senderAddress: string;
  hideControls: boolean;
}

export interface Settings {
  meta: MetaSettings;
  /** The `PUT /user` sign-up contract (seed 002) for the `users` collection. */
  putUser: { enabled: boolean };
  errors: ErrorFormat;
  trustedProxy: TrustedProxy;
}

const PARAM_ID = 'settings';

export const DEFAULT_SETTINGS: Settings = {
  meta: { appName: 'Satchel', appURL: '', senderName: 'Satchel', senderAddress: '', hideControls: false },
  putUser: { enabled: true },
  errors: 'pocketbase',
  trustedProxy: { headers: [], useLeftmostIP: false },
};

const HEADER_NAME = /^[A-Za-z0-9-]{1,100}$/;

/** What PATCH /api/settings accepts: any subset of the settings; unknown keys are ignored. */
const text = (max: number) =>
  v.optional(v.pipe(v.string('Must be a text value.'), v.maxLength(max, `At most ${max} characters.`)));

const patchSchema = v.object({
  meta: v.optional(
    v.object(
      {
        appName: text(255),
        appURL: v.optional(
          v.pipe(
            v.string('Must be a text value.'),
            v.check(
              (u) => u === '' || (URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)),
              'Must be an http(s) URL.',
            ),
          ),
        ),
        senderName: text(255),
        senderAddress: v.optional(
          v.pipe(
            v.string('Must be a text value.'),
            v.check((a) => a === '' || /^[^\s@<>]+@[^\s@<>]+$/.test(a), 'Must be an e-mail address.'),
          ),
        ),
        hideControls: v.optional(v.boolean('Must be true or false.')),
      },
      'Must be an object.',
    ),
  ),
  putUser: v.optional(v.object({ enabled: v.optional(v.boolean('Must be true or false.')) }, 'Must be an object.')),
  errors: v.optional(v.picklist(['pocketbase', 'problem+json'], 'Must be "pocketbase" or "problem+json".')),
  trustedProxy: v.optional(
    v.object(
      {
        headers: v.optional(
          v.pipe(
            v.array(
              v.pipe(v.string(), v.regex(HEADER_NAME, 'Must be a header name.')),
              'Must be a list of header names.',
            ),
            v.maxLength(10, 'At most 10 headers.'),
          ),
        ),
        useLeftmostIP: v.optional(v.boolean('Must be true or false.')),
      },
      'Must be an object.',
    ),
  ),
});

type SettingsPatch = v.InferOutput<typeof patchSchema>;

/** Reads and changes the settings. A stored value wins over the default the app was started with. */
export class SettingsService {
  /** Read on every error response, so kept in memory (loaded at start); this process is the only writer. */
  private cached: Settings;

  private constructor(
    private readonly params: Params,
    private readonly defaults: Settings,
    stored: SettingsPatch,
  ) {
    this.cached = merge(defaults, stored);
  }

  /** Loads the stored settings over `defaults`. */
  static async load(params: Params, defaults: Settings = DEFAULT_SETTINGS): Promise<SettingsService> {
    return new SettingsService(params, defaults, (await params.get<SettingsPatch>(PARAM_ID)) ?? {});
  }

  get(): Settings {
    return this.cached;
  }

  /** Applies a partial update and returns the new settings; 400 naming each malformed key. */
  async update(body: unknown): Promise<Settings> {
    const result = v.safeParse(patchSchema, body);
    if (!result.success) {
      const data: ErrorData = {};
      for (const issue of result.issues) {
        const keys = issue.path?.map((p) => String(p.key)) ?? [];
        let node = data;
        for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as ErrorData;
        node[keys.at(-1) ?? 'settings'] = { code: 'validation_invalid_value', message: issue.message };
      }
      throw ApiError.badRequest('An error occurred while validating the submitted data.', data);
    }
    const stored = (await this.params.get<SettingsPatch>(PARAM_ID)) ?? {};
    const next: SettingsPatch = {
      ...stored,
      meta: { ...stored.meta, ...result.output.meta },
      putUser: { ...stored.putUser, ...result.output.putUser },
      errors: result.output.errors ?? stored.errors,
      trustedProxy: { ...stored.trustedProxy, ...result.output.trustedProxy },
    };
    await this.params.set(PARAM_ID, next);
    this.cached = merge(this.defaults, next);
    return this.cached;
  }
}

function merge(defaults: Settings, stored: SettingsPatch): Settings {
  return {
    meta: {
      ...defaults.meta,
      ...Object.fromEntries(Object.entries(stored.meta ?? {}).filter(([, v]) => v !== undefined)),
    },
    putUser: { enabled: stored.putUser?.enabled ?? defaults.putUser.enabled },
    errors: stored.errors ?? defaults.errors,
    trustedProxy: {
      headers: stored.trustedProxy?.headers ?? defaults.trustedProxy.headers,
      useLeftmostIP: stored.trustedProxy?.useLeftmostIP ?? defaults.trustedProxy.useLeftmostIP,
    },
  };
}
