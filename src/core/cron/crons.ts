// Scheduled jobs: `app.cron.add(id, "*/5 * * * *", fn)`. One timer wakes at each minute and starts the jobs
// whose schedule matches; a job still running is not started again; errors are logged, never thrown. Processes
// sharing a database each keep the timer, and a due job runs on the one process that claims its minute.
import { ApiError } from '../errors.js';
import { parseSchedule, type Schedule } from './schedule.js';

export interface CronJob {
  id: string;
  expression: string;
}

interface Entry {
  schedule: Schedule;
  run: () => unknown;
  running: boolean;
}

/** True on exactly one of the processes sharing the database for a key (see Coordination.once). */
export type ClaimOnce = (key: string) => Promise<boolean>;

export class Crons {
  private readonly jobs = new Map<string, Entry>();
  private timer: NodeJS.Timeout | undefined;

  /** `once` decides which process runs a due job (default: this one, alone). */
  constructor(private readonly once?: ClaimOnce) {}

  /** Adds (or replaces) a job; a bad expression throws a CronError saying why. */
  add(id: string, expression: string, run: () => unknown): void {
    if (!/^[\w.:-]{1,100}$/.test(id)) throw new Error(`cron id "${id}" must be letters, digits, _, -, . or :`);
    this.jobs.set(id, { schedule: parseSchedule(expression), run, running: false });
    this.start();
  }

  remove(id: string): void {
    this.jobs.delete(id);
  }

  list(): CronJob[] {
    return [...this.jobs].map(([id, e]) => ({ id, expression: e.schedule.expression }));
  }

  /** Starts a job now (POST /api/crons/{id}); 404 for an unknown one. Resolves when it has finished. */
  runNow(id: string): Promise<void> {
    const entry = this.jobs.get(id);
    if (!entry) throw ApiError.notFound('Missing or invalid cron job.');
    return this.execute(id, entry);
  }

  private async execute(id: string, entry: Entry): Promise<void> {
    // A job never overlaps itself: a run that comes while the last one goes on is skipped.
    if (entry.running) return;
    entry.running = true;
    try {
      await entry.run();
    } catch (err) {
      console.error(`[satchel] cron job "${id}" failed:`, err);
    } finally {
      entry.running = false;
    }
  }

  /** Wakes at the start of each minute while there are jobs. */
  private start(): void {
    if (this.timer) return;
    const arm = () => {
      const now = Date.now();
      this.timer = setTimeout(tick, 60_000 - (now % 60_000) + 5).unref();
    };
    const tick = () => {
      void this.tick(new Date());
      if (this.jobs.size) arm();
      else this.timer = undefined;
    };
    arm();
  }

  /**
   * Starts the jobs due at `now` (the timer calls it at each minute) and resolves when they have finished. With
   * other processes, each job runs where its claim for this minute succeeds; a process whose run of the job still
   * goes on does not claim it, so another may take the minute.
   */
  async tick(now: Date): Promise<void> {
    const minute = Math.floor(now.getTime() / 60_000);
    const runs: Promise<void>[] = [];
    for (const [id, entry] of this.jobs) {
      if (!entry.schedule.matches(now) || entry.running) continue;
      if (!this.once) {
        runs.push(this.execute(id, entry));
        continue;
      }
      const once = this.once;
      runs.push(
        once(`cron:${id}:${minute}`).then(
          (mine) => (mine ? this.execute(id, entry) : undefined),
          (err) => console.error(`[satchel] cron job "${id}" could not be claimed:`, err),
        ),
      );
    }
    await Promise.all(runs);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
