// Owns what the filter compiler needs to know about the SQL it writes for: the few spellings databases differ in.

/** Supplied by the storage layer (src/core/db); the compiler writes nothing database-specific without it. */
export interface FilterDialect {
  /** Null-safe equality and inequality operators (SQLite `IS` / `IS NOT`). */
  readonly nullSafeEqual: string;
  readonly nullSafeNotEqual: string;
  /** The case-insensitive pattern operator PocketBase's `~` means (SQLite's LIKE ignores ASCII case). */
  readonly like: string;
  /** `strftime(format, time, modifiers...)` over already compiled arguments. */
  strftime(args: string[]): string;
  /** `expr` read as a number (SQLite compares numbers and numeric text alike; PostgreSQL needs a cast). */
  number(expr: string): string;
}
