// Headers every response carries so a browser treats API answers as data: no sniffing, no framing, no referrer.

/** An API answer is never a document: nothing in it may load or run, and no page may frame it. */
const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

const ALWAYS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
];
const API: [string, string][] = [...ALWAYS, ['Content-Security-Policy', API_POLICY], ['X-Frame-Options', 'DENY']];

/** The headers a response to `path` carries; paths under `ownPolicy` set their own CSP (the dashboard's pages). */
export function securityHeadersFor(path: string, ownPolicy: string[]): [string, string][] {
  return ownPolicy.some((prefix) => path.startsWith(prefix)) ? ALWAYS : API;
}
