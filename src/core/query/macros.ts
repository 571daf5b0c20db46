// Owns the datetime identifier macros (`@now`, `@todayStart`, `@year`, ...), all in UTC.

/** Formats a date as PocketBase's datetime string `YYYY-MM-DD HH:MM:SS.mmmZ` (UTC). */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0): Date =>
  new Date(Date.UTC(y, m, d, h, min, s, ms));

const MACROS: Record<string, (now: Date) => string | number> = {
  '@now': (n) => formatDateTime(n),
  '@yesterday': (n) => formatDateTime(new Date(n.getTime() - 86_400_000)),
  '@tomorrow': (n) => formatDateTime(new Date(n.getTime() + 86_400_000)),
  '@todayStart': (n) => formatDateTime(utc(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate())),
  '@todayEnd': (n) => formatDateTime(utc(n.getUTCFullYear(), n.getUTCMonth(), n.getUTCDate(), 23, 59, 59, 999)),
  '@monthStart': (n) => formatDateTime(utc(n.getUTCFullYear(), n.getUTCMonth(), 1)),
  '@monthEnd': (n) => formatDateTime(utc(n.getUTCFullYear(), n.getUTCMonth() + 1, 0, 23, 59, 59, 999)),
  '@yearStart': (n) => formatDateTime(utc(n.getUTCFullYear(), 0, 1)),
  '@yearEnd': (n) => formatDateTime(utc(n.getUTCFullYear(), 11, 31, 23, 59, 59, 999)),
  '@second': (n) => n.getUTCSeconds(),
  '@minute': (n) => n.getUTCMinutes(),
  '@hour': (n) => n.getUTCHours(),
  '@day': (n) => n.getUTCDate(),
  '@month': (n) => n.getUTCMonth() + 1,
  '@weekday': (n) => n.getUTCDay(),
  '@year': (n) => n.getUTCFullYear(),
};

/** True when `name` is one of the datetime macros (exact, case-sensitive match as in PocketBase). */
export function isMacro(name: string): boolean {
  return Object.hasOwn(MACROS, name);
}

/**
 * Returns the value of a macro at `now`: a datetime string for `@now`, `@yesterday`, `@tomorrow`,
 * `@todayStart`, `@todayEnd`, `@monthStart`, `@monthEnd`, `@yearStart`, `@yearEnd`, and an integer for
 * `@second`, `@minute`, `@hour`, `@day`, `@month` (1-12), `@weekday` (0 = Sunday), `@year`.
 * Returns undefined for an unknown name.
 */
export function macroValue(name: string, now: Date): string | number | undefined {
  return isMacro(name) ? MACROS[name]!(now) : undefined;
}
