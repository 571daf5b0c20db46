// The one error a database migration throws for what the user must fix or know (nothing is left half copied).

/** Why a migration refused or stopped; the message names the table and row when a row is the cause. */
export class MigrateError extends Error {}
