// Application settings kept in pb_data (`_params`), with defaults given when the app is created.
import * as v from 'valibot';
import { ApiError, type ErrorData } from '../errors.js';
import { checkSettings, type SettingsProblem } from './checks.js';
import type { Params } from './params.js';
import { DEFAULT_SETTINGS, patchSchema, SECRET_PATHS, type Settings, type SettingsPatch } from './schema.js';

export * from './schema.js';

const PARAM_ID = 'settings';

/** Where a change came from: this process (an update), or another process on the same database (a reload). */
export type SettingsOrigin = 'local' | 'remote';

type Listener = (settings: Settings, origin: SettingsOrigin) => void;

/** Reads and changes the settings. A stored value wins over the default the app was started with. */
export class SettingsService {
  /**
   * Read on every request (error format, proxy, rate limits), so kept in memory; another process's change is read
   * again when it says so (reload).
   */
  private cached: Settings;
  private readonly listeners = new Set<Listener>();
  /** Updates of this process in the order they were merged (one at a time, in the write), and the last one applied. */
  private merges = 0;
  private applied = 0;

  private constructor(
    private readonly params: Params,
    private readonly defaults: Settings,
    stored: SettingsPatch,
    /** Settings that a flag or an environment variable decides, by path (`meta.appURL`), with what decides. */
    readonly overriddenBy: Record<string, string>,
  ) {
    this.cached = deepMerge(defaults, stored);
  }

  /** Loads the stored settings over `defaults`. */
  static async load(
    params: Params,
    defaults: Settings = DEFAULT_SETTINGS,
    overriddenBy: Record<string, string> = {},
  ): Promise<SettingsService> {
    const stored = (await params.get<SettingsPatch>(PARAM_ID)) ?? {};
    return new SettingsService(params, defaults, stored, overriddenBy);
  }

  get(): Settings {
    return this.cached;
  }

  /** The settings as GET /api/settings shows them: secrets left out, and which ones a flag overrides. */
  forClient(): Settings & { overriddenBy: Record<string, string> } {
    const copy = structuredClone(this.cached) as unknown as Record<string, Record<string, unknown>>;
    for (const path of SECRET_PATHS) {
      let node: Record<string, unknown> = copy;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
      delete node[path.at(-1)!];
    }
    return { ...(copy as unknown as Settings), overriddenBy: this.overriddenBy };
  }

  /**
   * Called with the new settings after each change (e.g. to reschedule backups): this process's updates, and the
   * changes of other processes once reloaded.
   */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Applies a partial update (groups merge key by key; lists are replaced) and returns the new settings; a 400
   * names each bad value by its path, and nothing is stored then.
   */
  async update(body: unknown): Promise<Settings> {
    const result = v.safeParse(patchSchema, body);
    if (!result.success) {
      throw invalid(
        result.issues.map((issue) => ({
          path: issue.path?.map((p) => String(p.key)) ?? [],
          code: 'validation_invalid_value',
          message: issue.message,
        })),
      );
    }
    // Merged over what is stored at the moment of the write: two updates at once (of two keys) both stay.
    let merged!: Settings;
    let order = 0;
    await this.params.update<SettingsPatch>(PARAM_ID, (stored = {}) => {
      const next = deepMerge(stored, result.output);
      merged = deepMerge(this.defaults, next);
      const problems = checkSettings(merged);
      if (problems.length) throw invalid(problems);
      order = ++this.merges;
      return next;
    });
    // Updates end in any order; the settings kept are those of the last merged, which holds every earlier one.
    if (order > this.applied) {
      this.applied = order;
      this.changed(merged, 'local');
    }
    return merged;
  }

  /** Reads the stored settings again (another process changed them); listeners hear of it when they differ. */
  async reload(): Promise<void> {
    const stored = (await this.params.get<SettingsPatch>(PARAM_ID)) ?? {};
    const merged = deepMerge(this.defaults, stored);
    if (JSON.stringify(merged) !== JSON.stringify(this.cached)) this.changed(merged, 'remote');
  }

  private changed(settings: Settings, origin: SettingsOrigin): void {
    this.cached = settings;
    for (const listener of this.listeners) listener(settings, origin);
  }
}

function invalid(problems: SettingsProblem[]): ApiError {
  const data: ErrorData = {};
  for (const { path, code, message } of problems) {
    let node = data;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as ErrorData;
    node[path.at(-1) ?? 'settings'] = { code, message };
  }
  return ApiError.badRequest('An error occurred while validating the submitted data.', data);
}

const isGroup = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `over` laid on `base`: objects merge key by key, anything else (lists included) replaces; undefined keeps. */
function deepMerge<T>(base: T, over: unknown): T {
  if (!isGroup(base) || !isGroup(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) out[key] = deepMerge(out[key], value);
  }
  return out as T;
}
