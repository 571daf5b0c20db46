// Application settings kept in pb_data (`_params`), with defaults given when the app is created.
import * as v from 'valibot';
import { ApiError, type ErrorData } from '../errors.js';
import type { Params } from './params.js';

export interface Settings {
  /** The `PUT /user` sign-up contract (seed 002) for the `users` collection. */
  putUser: { enabled: boolean };
}

const PARAM_ID = 'settings';

export const DEFAULT_SETTINGS: Settings = { putUser: { enabled: true } };

/** What PATCH /api/settings accepts: any subset of the settings; unknown keys are ignored. */
const patchSchema = v.object({
  putUser: v.optional(v.object({ enabled: v.optional(v.boolean('Must be true or false.')) }, 'Must be an object.')),
});

type SettingsPatch = v.InferOutput<typeof patchSchema>;

/** Reads and changes the settings. A stored value wins over the default the app was started with. */
export class SettingsService {
  constructor(
    private readonly params: Params,
    private readonly defaults: Settings = DEFAULT_SETTINGS,
  ) {}

  get(): Settings {
    return merge(this.defaults, this.params.get<SettingsPatch>(PARAM_ID) ?? {});
  }

  /** Applies a partial update and returns the new settings; 400 naming each malformed key. */
  update(body: unknown): Settings {
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
    const stored = this.params.get<SettingsPatch>(PARAM_ID) ?? {};
    const next: SettingsPatch = { ...stored, putUser: { ...stored.putUser, ...result.output.putUser } };
    this.params.set(PARAM_ID, next);
    return merge(this.defaults, next);
  }
}

function merge(defaults: Settings, stored: SettingsPatch): Settings {
  return { putUser: { enabled: stored.putUser?.enabled ?? defaults.putUser.enabled } };
}
