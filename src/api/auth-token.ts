// Reading the caller's token from the Authorization header (the prelude middleware loads the access from it).

/** The token of an `Authorization: <token>` or `Authorization: Bearer <token>` header, if any. */
export function tokenFromHeader(header: string | undefined): string {
  if (!header) return '';
  return header.replace(/^bearer\s+/i, '').trim();
}
