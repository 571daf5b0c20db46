// What each settings section shows: the group of `GET /api/settings` it edits and its inputs, by path inside the
// group. Secrets are never sent back by the server: their inputs start empty and are only sent when typed into.
export type InputKind = 'text' | 'url' | 'email' | 'number' | 'bool' | 'secret' | 'list' | 'select';

export interface SettingInput {
  /** Path inside the group, e.g. `host` or `s3.bucket`. */
  path: string;
  label: string;
  kind: InputKind;
  hint?: string;
  options?: readonly (readonly [string, string])[];
}

/** One rate-limit rule as settings hold it. */
export interface RateLimitRuleValue {
  label: string;
  audience: string;
  duration: number;
  maxRequests: number;
}

export interface SettingsGroup {
  /** The route segment: #/settings/<id>. */
  id: string;
  title: string;
  /** The key of the settings object this section edits. */
  group: string;
  inputs: SettingInput[];
  /** A connection test offered under the form. */
  test?: 'email' | 'storage' | 'backups';
  /** Rate-limit rules: a table of label / audience / duration / max requests. */
  rules?: boolean;
}

const s3Inputs = (prefix: string): SettingInput[] => [
  { path: `${prefix}enabled`, label: 'Use S3-compatible storage', kind: 'bool' },
  { path: `${prefix}bucket`, label: 'Bucket', kind: 'text' },
  { path: `${prefix}region`, label: 'Region', kind: 'text' },
  { path: `${prefix}endpoint`, label: 'Endpoint', kind: 'url', hint: 'e.g. https://s3.eu-central-1.amazonaws.com' },
  { path: `${prefix}accessKey`, label: 'Access key', kind: 'text' },
  { path: `${prefix}secret`, label: 'Secret', kind: 'secret' },
  { path: `${prefix}forcePathStyle`, label: 'Path-style addressing', kind: 'bool' },
];

export const SETTINGS_GROUPS: SettingsGroup[] = [
  {
    id: 'application',
    title: 'Application',
    group: 'meta',
    inputs: [
      { path: 'appName', label: 'Application name', kind: 'text' },
      { path: 'appURL', label: 'Application URL', kind: 'url' },
      { path: 'senderName', label: 'Sender name', kind: 'text' },
      { path: 'senderAddress', label: 'Sender address', kind: 'email' },
    ],
  },
  {
    id: 'mail',
    title: 'Mail (SMTP)',
    group: 'smtp',
    test: 'email',
    inputs: [
      { path: 'enabled', label: 'Send mail through this SMTP server', kind: 'bool' },
      { path: 'host', label: 'Host', kind: 'text' },
      { path: 'port', label: 'Port', kind: 'number' },
      { path: 'username', label: 'Username', kind: 'text' },
      { path: 'password', label: 'Password', kind: 'secret' },
      {
        path: 'authMethod',
        label: 'Authentication',
        kind: 'select',
        options: [
          ['PLAIN', 'PLAIN'],
          ['LOGIN', 'LOGIN'],
        ],
      },
      { path: 'tls', label: 'TLS from the start (port 465)', kind: 'bool' },
      { path: 'localName', label: 'Local name (HELO)', kind: 'text' },
    ],
  },
  { id: 'storage', title: 'File storage', group: 's3', test: 'storage', inputs: s3Inputs('') },
  {
    id: 'backups',
    title: 'Backup schedule',
    group: 'backups',
    test: 'backups',
    inputs: [
      { path: 'cron', label: 'Schedule (cron)', kind: 'text', hint: 'e.g. 0 3 * * * (every night at 3); empty: none' },
      { path: 'cronMaxKeep', label: 'Scheduled backups kept', kind: 'number' },
      ...s3Inputs('s3.'),
    ],
  },
  {
    id: 'rate-limits',
    title: 'Rate limits',
    group: 'rateLimits',
    rules: true,
    inputs: [
      { path: 'enabled', label: 'Limit request rates', kind: 'bool' },
      { path: 'excludedIPs', label: 'Never limited (IPs or subnets, one per line)', kind: 'list' },
    ],
  },
  {
    id: 'logs',
    title: 'Log retention',
    group: 'logs',
    inputs: [
      { path: 'maxDays', label: 'Days kept (0: no logs)', kind: 'number' },
      {
        path: 'minLevel',
        label: 'Lowest level kept',
        kind: 'select',
        options: [
          ['-4', 'debug'],
          ['0', 'info'],
          ['4', 'warn'],
          ['8', 'error'],
        ],
      },
      { path: 'logIP', label: 'Log client IPs', kind: 'bool' },
      { path: 'logAuthId', label: 'Log the signed-in record id', kind: 'bool' },
    ],
  },
  {
    id: 'proxy',
    title: 'Behind a proxy',
    group: 'trustedProxy',
    inputs: [
      {
        path: 'headers',
        label: 'Headers with the client IP (one per line)',
        kind: 'list',
        hint: 'e.g. X-Forwarded-For. Empty: the connection address; forwarding headers are ignored.',
      },
      { path: 'useLeftmostIP', label: 'Use the leftmost IP of the header', kind: 'bool' },
    ],
  },
  {
    id: 'batch',
    title: 'Batch API',
    group: 'batch',
    inputs: [
      { path: 'enabled', label: 'Allow POST /api/batch', kind: 'bool' },
      { path: 'maxRequests', label: 'Requests per batch at most', kind: 'number' },
      { path: 'timeout', label: 'Time limit (seconds)', kind: 'number' },
      { path: 'maxBodySize', label: 'Body size limit (bytes, 0: default)', kind: 'number' },
    ],
  },
];

/** The value at a dotted path. */
export function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], object);
}

/** A copy of `object` with `value` at a dotted path. */
export function withValue<T>(object: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const base = (object ?? {}) as Record<string, unknown>;
  return { ...base, [head!]: rest.length ? withValue(base[head!], rest.join('.'), value) : value } as T;
}
