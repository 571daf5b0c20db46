// Checks on the merged settings, where one value decides whether another is required (an enabled SMTP server
// needs a host), and values whose syntax is a language of its own (cron expressions, IP subnets).
import { BlockList, isIP } from 'node:net';
import { CronError, parseSchedule } from '../cron/schedule.js';
import type { S3Settings, Settings } from './schema.js';

export interface SettingsProblem {
  path: string[];
  code: string;
  message: string;
}

const blank = (path: string[]): SettingsProblem => ({ path, code: 'validation_required', message: 'Cannot be blank.' });

function checkS3(s3: S3Settings, at: string[], problems: SettingsProblem[]): void {
  if (!s3.enabled) return;
  for (const key of ['bucket', 'region', 'endpoint', 'accessKey', 'secret'] as const) {
    if (!s3[key]) problems.push(blank([...at, key]));
  }
}

/** A single address or a CIDR subnet (`10.0.0.0/8`, `fd00::/8`). */
export function parseIpOrSubnet(value: string): { address: string; prefix?: number } | undefined {
  const [address, prefix, extra] = value.split('/');
  const family = isIP(address ?? '');
  if (!family || extra !== undefined) return undefined;
  if (prefix === undefined) return { address: address! };
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return undefined;
  return { address: address!, prefix: bits };
}

/** Address and subnet matching for `rateLimits.excludedIPs`. */
export function ipList(entries: string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseIpOrSubnet(entry);
    if (!parsed) continue;
    const type = isIP(parsed.address) === 4 ? 'ipv4' : 'ipv6';
    if (parsed.prefix === undefined) list.addAddress(parsed.address, type);
    else list.addSubnet(parsed.address, parsed.prefix, type);
  }
  return list;
}

export function checkSettings(settings: Settings): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const { smtp, backups, rateLimits } = settings;
  if (smtp.enabled) {
    if (!smtp.host) problems.push(blank(['smtp', 'host']));
    if (!smtp.port) problems.push(blank(['smtp', 'port']));
  }
  checkS3(settings.s3, ['s3'], problems);
  checkS3(backups.s3, ['backups', 's3'], problems);
  if (backups.cron) {
    try {
      parseSchedule(backups.cron);
    } catch (err) {
      if (!(err instanceof CronError)) throw err;
      problems.push({ path: ['backups', 'cron'], code: 'validation_invalid_cron', message: err.message });
    }
  }
  if (rateLimits.enabled && rateLimits.rules.length === 0) problems.push(blank(['rateLimits', 'rules']));
  // Two rules for the same label and audience would leave which one counts to chance.
  const seen = new Set<string>();
  rateLimits.rules.forEach((rule, i) => {
    const key = `${rule.label}@@${rule.audience}`;
    if (seen.has(key)) {
      problems.push({
        path: ['rateLimits', 'rules', String(i), 'label'],
        code: 'validation_conflicting_rate_limit_rule',
        message: `A rule for "${rule.label}"${rule.audience ? ` and ${rule.audience}` : ''} already exists.`,
      });
    }
    seen.add(key);
  });
  rateLimits.excludedIPs.forEach((entry, i) => {
    if (!parseIpOrSubnet(entry)) {
      problems.push({
        path: ['rateLimits', 'excludedIPs', String(i)],
        code: 'validation_invalid_value',
        message: 'Must be an IP address or a subnet such as 10.0.0.0/8.',
      });
    }
  });
  return problems;
}
