// What a log line is queued as, and how it becomes a `_logs` row where the batch is written. A request only
// captures its raw fields (strings and numbers, no JSON, no escaping); masking secrets in the URL, the id, the
// message and the `data` JSON are made by `logRowShaper`, on the log writer's thread when one runs: that work
// then leaves the event loop that answers requests.

/** A request's log fields, in queue order. `null` where a field does not apply. */
export type RequestLogFields = [
  kind: 'request',
  level: number,
  method: string,
  /** Path and query as sent (secrets still in it: masked when shaped). */
  url: string,
  status: number,
  /** Microseconds, as an integer (a short number to queue; PocketBase's milliseconds with 3 decimals when shaped). */
  execTimeUs: number,
  referer: string,
  userAgent: string,
  authCollection: string,
  authId: string | null,
  userIP: string | null,
  remoteIP: string | null,
  error: string | null,
  /** The error's details as JSON text. */
  details: string | null,
  createdMs: number,
];

/** Any other entry (`app.logger`, hooks): its message and its data already as JSON text. */
export type EntryLogFields = [kind: 'entry', level: number, message: string, data: string, createdMs: number];

/** Fields per queued line: the longest kind; shorter kinds are padded with nulls. */
export const LOG_FIELDS = 15;

/**
 * Makes the function that turns one queued line (its fields as text, `null` where absent) into the `_logs`
 * columns: id, level, message, data, created (epoch ms).
 *
 * Self-contained on purpose: no imports and no outer names, because the writer thread receives it as source text.
 * Each shaper numbers its ids from its own random prefix (record id format, 15 of [a-z0-9], rising), so the
 * writer thread and the event loop never hand out the same id.
 */
export function logRowShaper(): (fields: (string | null)[]) => unknown[] {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const counterDigits = 9;
  const random = new Uint8Array(15 - counterDigits);
  globalThis.crypto.getRandomValues(random);
  let prefix = '';
  for (const byte of random) prefix += alphabet[byte % alphabet.length];
  let counter = 0;

  const secretParam = /^(token|password|passwordConfirm|oldPassword|secret|code|otp|key|apikey|api_key)$/i;
  const mayHoldSecret = /[?&](token|password|passwordConfirm|oldPassword|secret|code|otp|key|apikey|api_key)=/i;
  const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}...` : text);
  // Query parameters whose values are credentials are never written to a log.
  const safeUrl = (url: string) => {
    if (!mayHoldSecret.test(url)) return cut(url, 3000);
    const parsed = new URL(url, 'http://localhost');
    for (const name of [...parsed.searchParams.keys()]) {
      if (secretParam.test(name)) parsed.searchParams.set(name, '***');
    }
    return cut(parsed.pathname + parsed.search, 3000);
  };
  // The URL with its percent-escapes decoded for reading (as sent when they are not valid).
  const readable = (url: string) => {
    if (!url.includes('%')) return url;
    try {
      return decodeURI(url);
    } catch {
      return url;
    }
  };

  // The entry's JSON is written out here rather than built as an object and stringified: this runs for every
  // request, and almost no value needs escaping. A string that might is left to JSON.stringify.
  const mayNeedEscape = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;
  const str = (text: string) => (mayNeedEscape.test(text) ? JSON.stringify(text) : `"${text}"`);
  const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

  return (f) => {
    const id = prefix + (counter++).toString(36).padStart(counterDigits, '0');
    const level = Number(f[1]);
    if (f[0] !== 'request') return [id, level, f[2] ?? '', f[3] ?? '{}', Number(f[4])];
    const method = f[2] ?? '';
    const url = safeUrl(f[3] ?? '/');
    // PocketBase's member order.
    let data =
      `{"type":"request","method":${str(method)},"url":${str(url)},"status":${num(Number(f[4]))}` +
      `,"execTime":${num(Number(f[5]) / 1000)},"referer":${str(cut(f[6] ?? '', 2000))}` +
      `,"userAgent":${str(cut(f[7] ?? '', 2000))},"auth":${str(f[8] ?? '')}`;
    if (f[9] !== null) data += `,"authId":${str(f[9]!)}`;
    if (f[10] !== null) data += `,"userIP":${str(f[10]!)}`;
    if (f[11] !== null) data += `,"remoteIP":${str(f[11]!)}`;
    if (f[12] !== null) data += `,"error":${str(f[12]!)}`;
    // Already JSON text (see RequestLogFields.details).
    if (f[13] !== null) data += `,"details":${f[13]}`;
    return [id, level, `${method} ${readable(url)}`, `${data}}`, Number(f[14])];
  };
}
