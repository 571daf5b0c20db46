// Reading of the list query parameters (page, perPage, skipTotal) with PocketBase's defaults and caps.

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 1000;

export interface ListParams {
  page?: unknown;
  perPage?: unknown;
  sort?: string | undefined;
  filter?: string | undefined;
  skipTotal?: unknown;
}

function positiveInt(raw: unknown, fallback: number): number {
  const n = typeof raw === 'number' ? raw : Number.parseInt(String(raw ?? ''), 10);
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

/**
 * The last page anyone can ask for: its offset stays an exact integer a database takes (a page past the end is
 * simply empty, however far past).
 */
const MAX_PAGE = Math.floor(Number.MAX_SAFE_INTEGER / MAX_PER_PAGE);

/** page >= 1; perPage defaults to 30 and is capped at 1000, as PocketBase does. */
export function pageParams(params: ListParams): { page: number; perPage: number; skipTotal: boolean } {
  return {
    page: Math.min(positiveInt(params.page, 1), MAX_PAGE),
    perPage: Math.min(positiveInt(params.perPage, DEFAULT_PER_PAGE), MAX_PER_PAGE),
    skipTotal:
      ['1', 'true', 't', 'yes'].includes(String(params.skipTotal ?? '').toLowerCase()) || params.skipTotal === true,
  };
}
