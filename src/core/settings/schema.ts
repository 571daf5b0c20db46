// The settings' shape (PocketBase's groups plus Satchel's putUser and errors), their defaults, and what a PATCH
// may carry. Checks that need the whole merged result (a field required once its group is enabled) are in
// checks.ts.
import * as v from 'valibot';

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

export interface SmtpSettings {
  enabled: boolean;
  host: string;
  port: number;
  username: string;
  /** Never returned by GET /api/settings. */
  password: string;
  authMethod: 'PLAIN' | 'LOGIN';
  /** Implicit TLS (port 465); otherwise STARTTLS when the server offers it. */
  tls: boolean;
  /** The name sent in EHLO ('' = the host's name). */
  localName: string;
}

export interface S3Settings {
  enabled: boolean;
  bucket: string;
  region: string;
  endpoint: string;
  accessKey: string;
  /** Never returned by GET /api/settings. */
  secret: string;
  forcePathStyle: boolean;
}

export interface BackupsSettings {
  /** When automatic backups are made (cron expression); '' = never. */
  cron: string;
  /** Automatic backups kept; older ones are deleted. */
  cronMaxKeep: number;
  /** Where backups go when enabled (otherwise `pb_data/backups/`). */
  s3: S3Settings;
}

export interface BatchSettings {
  enabled: boolean;
  maxRequests: number;
  /** Seconds a batch's transaction may take. */
  timeout: number;
  /** Largest batch body in bytes (0 = the server's body limit). */
  maxBodySize: number;
}

export interface RateLimitRule {
  /** `*:auth`, `users:create`, `/api/` (a path prefix), `POST /api/batch` (a method and path) or a tag. */
  label: string;
  /** '' = everyone, `@guest` = only guests, `@auth` = only signed-in callers. */
  audience: '' | '@guest' | '@auth';
  /** Window length in seconds. */
  duration: number;
  /** Requests allowed per window and client IP. */
  maxRequests: number;
}

export interface RateLimitSettings {
  enabled: boolean;
  rules: RateLimitRule[];
  /** Client IPs or subnets (CIDR) never limited. */
  excludedIPs: string[];
}

export interface LogsSettings {
  /** Days request logs are kept (0 = requests are not logged). */
  maxDays: number;
  /** The lowest level kept: -4 debug, 0 info, 4 warn, 8 error. */
  minLevel: number;
  logIP: boolean;
  logAuthId: boolean;
}

export interface Settings {
  meta: MetaSettings;
  smtp: SmtpSettings;
  s3: S3Settings;
  backups: BackupsSettings;
  batch: BatchSettings;
  rateLimits: RateLimitSettings;
  trustedProxy: TrustedProxy;
  logs: LogsSettings;
  /** The `PUT /user` sign-up contract (seed 002) for the `users` collection. */
  putUser: { enabled: boolean };
  errors: ErrorFormat;
}

const NO_S3: S3Settings = {
  enabled: false,
  bucket: '',
  region: '',
  endpoint: '',
  accessKey: '',
  secret: '',
  forcePathStyle: false,
};

/**
 * Satchel's rate limits are on by default, unlike PocketBase's: sign-in, sign-up and the e-mail flows are what
 * attackers hammer. Creates are limited for guests only (a flood breaker), so an import by a signed-in script or
 * a superuser is never throttled.
 */
export const DEFAULT_RATE_LIMIT_RULES: RateLimitRule[] = [
  { label: '*:auth', audience: '', duration: 60, maxRequests: 20 },
  { label: '*:create', audience: '@guest', duration: 10, maxRequests: 500 },
];

export const DEFAULT_SETTINGS: Settings = {
  meta: { appName: 'Satchel', appURL: '', senderName: 'Satchel', senderAddress: '', hideControls: false },
  smtp: {
    enabled: false,
    host: 'smtp.example.com',
    port: 587,
    username: '',
    password: '',
    authMethod: 'PLAIN',
    tls: false,
    localName: '',
  },
  s3: NO_S3,
  backups: { cron: '', cronMaxKeep: 3, s3: NO_S3 },
  batch: { enabled: false, maxRequests: 50, timeout: 3, maxBodySize: 0 },
  rateLimits: { enabled: true, rules: DEFAULT_RATE_LIMIT_RULES, excludedIPs: [] },
  trustedProxy: { headers: [], useLeftmostIP: false },
  logs: { maxDays: 5, minLevel: 0, logIP: true, logAuthId: false },
  putUser: { enabled: true },
  errors: 'pocketbase',
};

/** The secrets GET /api/settings never returns (paths into Settings). */
export const SECRET_PATHS = [
  ['smtp', 'password'],
  ['s3', 'secret'],
  ['backups', 's3', 'secret'],
] as const;

const HEADER_NAME = /^[A-Za-z0-9-]{1,100}$/;
// PocketBase's label forms: `METHOD /path`, `/path`, `name:tag`, `*:tag` or a plain tag.
const RATE_LIMIT_LABEL = /^(\w+ \/[\w/-]*|\/[\w/-]*|\w+:\w+|\*:\w+|\w+)$/;

const bool = () => v.optional(v.boolean('Must be true or false.'));
const text = (max: number) =>
  v.optional(v.pipe(v.string('Must be a text value.'), v.maxLength(max, `At most ${max} characters.`)));
const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.optional(
    v.pipe(
      v.number('Must be a number.'),
      v.integer('Must be a whole number.'),
      v.minValue(min, `Must be at least ${min}.`),
      v.maxValue(max, `Must be at most ${max}.`),
    ),
  );
const group = <T extends v.ObjectEntries>(entries: T) => v.optional(v.object(entries, 'Must be an object.'));
const list = <T extends v.GenericSchema>(item: T, max: number, what: string) =>
  v.optional(v.pipe(v.array(item, `Must be a list of ${what}.`), v.maxLength(max, `At most ${max} ${what}.`)));
const httpUrl = (message: string) =>
  v.optional(
    v.pipe(
      v.string('Must be a text value.'),
      v.check((u) => u === '' || (URL.canParse(u) && /^https?:$/.test(new URL(u).protocol)), message),
    ),
  );
const host = v.optional(
  v.pipe(
    v.string('Must be a text value.'),
    v.regex(/^$|^[A-Za-z0-9.-]{1,253}$|^\[[0-9a-fA-F:.]+\]$/, 'Must be a host name or an IP address.'),
  ),
);

const s3Group = group({
  enabled: bool(),
  bucket: text(255),
  region: text(100),
  endpoint: httpUrl('Must be an http(s) URL.'),
  accessKey: text(255),
  secret: text(1000),
  forcePathStyle: bool(),
});

/** What PATCH /api/settings accepts: any subset of the settings; unknown keys are ignored, as PocketBase does. */
export const patchSchema = v.object({
  meta: group({
    appName: text(255),
    appURL: httpUrl('Must be an http(s) URL.'),
    senderName: text(255),
    senderAddress: v.optional(
      v.pipe(
        v.string('Must be a text value.'),
        v.check((a) => a === '' || /^[^\s@<>]+@[^\s@<>]+$/.test(a), 'Must be an e-mail address.'),
      ),
    ),
    hideControls: bool(),
  }),
  smtp: group({
    enabled: bool(),
    host,
    port: int(0, 65535),
    username: text(255),
    password: text(1000),
    authMethod: v.optional(v.picklist(['PLAIN', 'LOGIN', ''], 'Must be PLAIN or LOGIN.')),
    tls: bool(),
    localName: host,
  }),
  s3: s3Group,
  backups: group({ cron: text(100), cronMaxKeep: int(1, 10_000), s3: s3Group }),
  batch: group({
    enabled: bool(),
    maxRequests: int(0, 10_000),
    timeout: int(0, 3600),
    maxBodySize: int(0),
  }),
  rateLimits: group({
    enabled: bool(),
    rules: list(
      v.object(
        {
          label: v.pipe(
            v.string('Must be a text value.'),
            v.nonEmpty('Cannot be blank.'),
            v.regex(RATE_LIMIT_LABEL, 'Must be a tag (users:create, *:auth), a path (/api/) or METHOD /path.'),
          ),
          audience: v.optional(v.picklist(['', '@guest', '@auth'], 'Must be "", "@guest" or "@auth".'), ''),
          duration: v.pipe(
            v.number('Must be a number.'),
            v.integer('Must be a whole number.'),
            v.minValue(1, 'Must be at least 1.'),
          ),
          maxRequests: v.pipe(
            v.number('Must be a number.'),
            v.integer('Must be a whole number.'),
            v.minValue(1, 'Must be at least 1.'),
          ),
        },
        'Must be an object.',
      ),
      100,
      'rules',
    ),
    excludedIPs: list(v.string('Must be an IP address or a subnet.'), 1000, 'addresses'),
  }),
  trustedProxy: group({
    headers: list(v.pipe(v.string(), v.regex(HEADER_NAME, 'Must be a header name.')), 10, 'headers'),
    useLeftmostIP: bool(),
  }),
  logs: group({ maxDays: int(0, 36_500), minLevel: int(-100, 100), logIP: bool(), logAuthId: bool() }),
  putUser: group({ enabled: bool() }),
  errors: v.optional(v.picklist(['pocketbase', 'problem+json'], 'Must be "pocketbase" or "problem+json".')),
});

export type SettingsPatch = v.InferOutput<typeof patchSchema>;
