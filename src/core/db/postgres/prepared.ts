// Names for the statements reads repeat: a named statement is parsed and planned once per connection instead of
// at every call (about a fifth of a short read's time). Bounded: only statements seen a few times get a name, and
// at most MAX of them, so that structurally different filters (one-offs) never pile up on the server.

const MAX = 200;
/** Sightings before a statement gets a name. */
const WARM = 3;
/** Statements counted while warming up, at most; past it the count starts over. */
const MAX_COUNTED = 5000;

export class PreparedNames {
  private readonly names = new Map<string, string>();
  private readonly seen = new Map<string, number>();
  private generation = 0;

  /** The name to run `text` under, or undefined to run it unnamed. */
  nameOf(text: string): string | undefined {
    const known = this.names.get(text);
    if (known !== undefined || this.names.size >= MAX) return known;
    const count = (this.seen.get(text) ?? 0) + 1;
    if (count < WARM) {
      if (this.seen.size >= MAX_COUNTED) this.seen.clear();
      this.seen.set(text, count);
      return undefined;
    }
    this.seen.delete(text);
    const name = `satchel_${this.generation}_${this.names.size}`;
    this.names.set(text, name);
    return name;
  }

  /**
   * Forgets every name (new ones are used from now on): after a schema change a statement prepared before it may
   * no longer describe its result (`SELECT *` of a changed table).
   */
  reset(): void {
    this.names.clear();
    this.seen.clear();
    this.generation++;
  }

  get size(): number {
    return this.names.size;
  }
}

/** PostgreSQL's answers to a prepared statement the schema moved under: run it again unnamed. */
export const isStalePlan = (err: unknown): boolean => {
  const code = (err as { code?: string })?.code;
  return code === '0A000' || code === '26000';
};
