// Owns the single error type raised for bad filter and sort expressions.

/**
 * A client-facing error for an invalid filter or sort expression.
 *
 * Messages are meant to be shown to API clients: they say what and where
 * (a 0-based character offset into the filter text) and never contain SQL.
 */
export class FilterError extends Error {
  constructor(
    message: string,
    /** 0-based character offset into the filter text, when known. */
    readonly position?: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }

  /** Builds `Invalid filter: <detail> at position <pos>.` */
  static at(position: number, detail: string): FilterError {
    return new FilterError(`Invalid filter: ${detail} at position ${position}.`, position);
  }
}

/** Quotes a piece of user text for an error message, shortening long text. */
export function quoteForMessage(text: string, max = 32): string {
  const short = text.length > max ? `${text.slice(0, max)}...` : text;
  return JSON.stringify(short);
}
