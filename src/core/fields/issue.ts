// Carries a PocketBase error code through valibot's issue message, and back out.

const SEPARATOR = '|';

/** A valibot message that carries a PocketBase code: decoded by `decodeIssue`. */
export function fieldIssue(code: string, message: string): string {
  return `${code}${SEPARATOR}${message}`;
}

/** Splits a message made by `fieldIssue`; valibot's own messages become validation_invalid_value. */
export function decodeIssue(message: string): { code: string; message: string } {
  const at = message.indexOf(SEPARATOR);
  if (at > 0 && message.startsWith('validation_')) {
    return { code: message.slice(0, at), message: message.slice(at + 1) };
  }
  return { code: 'validation_invalid_value', message: 'Invalid value.' };
}
