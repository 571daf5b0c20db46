// Typed failures of the storage layer: what callers may react to, with the driver's text kept out of them.

/** Base of every error the store turns a driver failure into. */
export class StoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A unique index refused the write; `columns` names what collided (when the driver says). */
export class UniqueViolation extends StoreError {
  constructor(
    readonly columns: string[],
    options?: { cause?: unknown },
  ) {
    super(`unique constraint failed on ${columns.join(', ') || 'a column'}`, options);
  }
}

/** Another constraint (NOT NULL, CHECK, FOREIGN KEY) refused the write. */
export class ConstraintViolation extends StoreError {}

/** The database stayed locked by another writer for longer than the store waits. */
export class StoreBusy extends StoreError {}

/** The database cannot take writes: the disk is full, the file or folder is read-only. */
export class StoreUnavailable extends StoreError {}

/** A bound value the database cannot hold (an integer out of range, a wrong type for the column). */
export class ValueRejected extends StoreError {}

/** A query the caller asked to be read-only (a view's SELECT) is not one, or does not run. */
export class QueryRejected extends StoreError {}
