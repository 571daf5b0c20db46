// The rate limits of the settings (`rateLimits`: rules by label, editable at runtime), applied per client IP
// before the route runs. Superusers and the excluded IPs are never limited, as in PocketBase.
import type { Context } from 'hono';
import type { BlockList } from 'node:net';
import type { CollectionRegistry } from '../../core/collections/registry.js';
import { ipList } from '../../core/settings/checks.js';
import type { RateLimitRule as SettingsRule, RateLimitSettings } from '../../core/settings/schema.js';
import { clientIp } from '../client-ip.js';
import type { AppEnv } from '../context.js';
import { rateLimitLabels, routeTags } from '../rate-limit-labels.js';
import { RateWindows, tooManyRequests } from './rate-limit.js';

interface CompiledRules {
  source: RateLimitSettings;
  exact: Map<string, SettingsRule[]>;
  /** Rules whose label ends with `/`: a path prefix. */
  prefixes: SettingsRule[];
  excluded: BlockList;
}

function compile(source: RateLimitSettings): CompiledRules {
  const exact = new Map<string, SettingsRule[]>();
  const prefixes: SettingsRule[] = [];
  for (const rule of source.rules) {
    if (rule.label.endsWith('/')) prefixes.push(rule);
    const same = exact.get(rule.label);
    if (same) same.push(rule);
    else exact.set(rule.label, [rule]);
  }
  return { source, exact, prefixes, excluded: ipList(source.excludedIPs) };
}

/** The first rule a label matches, exactly or (for a path) by prefix, among those for the caller's audience. */
function findRule(rules: CompiledRules, labels: string[], audience: string): SettingsRule | undefined {
  const fits = (rule: SettingsRule) => rule.audience === '' || rule.audience === audience;
  for (const label of labels) {
    const found = rules.exact.get(label)?.find(fits);
    if (found) return found;
    // `/api/` covers `/api/...` and `POST /api/` covers `POST /api/...`; a tag never starts like a path.
    const prefixed = rules.prefixes.find((r) => fits(r) && `${label}/`.startsWith(r.label));
    if (prefixed) return prefixed;
  }
  return undefined;
}

export interface SettingsRateLimitOptions {
  rateLimits: () => RateLimitSettings;
  collections: CollectionRegistry;
}

/** A check for the prelude to run once the caller is known: a 429 response, or undefined to go on. */
export function rateLimitFromSettings(options: SettingsRateLimitOptions): (c: Context<AppEnv>) => Response | undefined {
  const windows = new RateWindows(50_000);
  let compiled: CompiledRules | undefined;
  const isAuth = (ref: string) => options.collections.find(ref)?.type === 'auth';
  return function settingsRateLimit(c) {
    const settings = options.rateLimits();
    if (!settings.enabled || c.get('access').superuser) return undefined;
    if (compiled?.source !== settings) {
      // Changed rules start with fresh counters, as PocketBase's do.
      compiled = compile(settings);
      windows.clear();
    }
    const ip = clientIp(c);
    if (compiled.excluded.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4')) return undefined;
    const { method, path } = c.req;
    const route = routeTags(method, path, isAuth);
    const name = route && options.collections.find(route.collection)?.name;
    const audience = c.get('access').auth ? '@auth' : '@guest';
    const rule = findRule(compiled, rateLimitLabels(method, path, route, name), audience);
    if (rule) {
      const retryAfter = windows.consume(`${rule.label}${rule.audience}\n${ip}`, {
        max: rule.maxRequests,
        windowSeconds: rule.duration,
      });
      if (retryAfter) return tooManyRequests(c, retryAfter);
    }
    return undefined;
  };
}
