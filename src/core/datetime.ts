// Satchel's one datetime format, `2025-01-03 12:23:01.865Z` (UTC, a space, milliseconds), as PocketBase uses.

/** Formats a Date in the wire and storage format. */
export function formatDateTime(date: Date): string {
  return date.toISOString().replace('T', ' ');
}

let lastMs = -1;
let lastText = '';

/** The current time in the wire and storage format (formatted once per millisecond: writes come in bursts). */
export function nowDateTime(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = formatDateTime(new Date(ms));
  }
  return lastText;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Parses what clients send as a datetime (the wire format, ISO 8601, a bare date, a Date, or unix
 * seconds) into the wire format; undefined when it is not a datetime.
 */
export function parseDateTime(input: unknown): string | undefined {
  let date: Date;
  if (input instanceof Date) {
    date = input;
  } else if (typeof input === 'number') {
    date = new Date(input * 1000);
  } else if (typeof input === 'string') {
    const text = input.trim();
    if (DATE_ONLY.test(text)) {
      date = new Date(`${text}T00:00:00Z`);
    } else if (DATE_TIME.test(text)) {
      const iso = text.replace(' ', 'T');
      // A datetime without an offset is UTC, not the server's local time.
      date = new Date(/(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`);
    } else {
      return undefined;
    }
  } else {
    return undefined;
  }
  return Number.isNaN(date.getTime()) ? undefined : formatDateTime(date);
}
