// Apple sends the user's name only once, in the `user` field of the first redirect (a form POST), never in its
// tokens. The redirect route keeps it here for a minute under the code, and the sign-in with that code takes it.

const KEEP_MS = 60_000;
const MAX_NAMES = 1000;
const names = new Map<string, { name: string; until: number }>();

/** Keeps the name of Apple's `user` JSON (`{"name": {"firstName", "lastName"}}`) for the sign-in with `code`. */
export function keepAppleName(code: string, userJson: string): void {
  if (!code || code.length > 1000 || !userJson || userJson.length > 10_000) return;
  let parsed: { name?: { firstName?: unknown; lastName?: unknown } };
  try {
    parsed = JSON.parse(userJson) as typeof parsed;
  } catch {
    return;
  }
  const part = (v: unknown) => (typeof v === 'string' ? v : '');
  const name = `${part(parsed?.name?.firstName)} ${part(parsed?.name?.lastName)}`.trim().slice(0, 150);
  if (!name) return;
  const now = Date.now();
  for (const [key, entry] of names) if (entry.until <= now) names.delete(key);
  if (names.size >= MAX_NAMES) names.delete(names.keys().next().value!);
  names.set(code, { name, until: now + KEEP_MS });
}

/** The name kept for `code` (once), or ''. */
export function takeAppleName(code: string): string {
  const entry = names.get(code);
  names.delete(code);
  return entry && entry.until > Date.now() ? entry.name : '';
}
