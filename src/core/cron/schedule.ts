// Cron expressions: five fields (minute hour day-of-month month day-of-week) with `*`, lists, ranges and steps,
// and the macros @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly. Times are the server's
// local time, as PocketBase's cron uses.

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 6 },
] as const;

export class CronError extends Error {}

export interface Schedule {
  expression: string;
  /** True when the job runs in the minute that `date` falls in. */
  matches(date: Date): boolean;
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`invalid ${field.name} "${part}"`);
    const weekday = field.name === 'day of week';
    // Sunday may be written 7 as well as 0.
    const max = weekday ? 7 : field.max;
    const [from, to] =
      m[1] === '*' ? [field.min, field.max] : (m[1]!.split('-').map(Number) as [number, number | undefined]);
    const end = to ?? (m[2] ? max : from);
    const step = m[2] ? Number(m[2]) : 1;
    if (from < field.min || end > max || from > end || step < 1) {
      throw new CronError(`${field.name} "${part}" is out of range ${field.min}-${field.max}`);
    }
    for (let v = from; v <= end; v += step) values.add(weekday && v === 7 ? 0 : v);
  }
  return values;
}

export function parseSchedule(expression: string): Schedule {
  const text = MACROS[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5) {
    throw new CronError(`"${expression}" needs five fields (minute hour day month weekday) or a macro such as @hourly`);
  }
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]!));
  const anyDay = parts[2] === '*';
  const anyWeekday = parts[4] === '*';
  return {
    expression,
    matches(date) {
      if (!minutes!.has(date.getMinutes()) || !hours!.has(date.getHours()) || !months!.has(date.getMonth() + 1)) {
        return false;
      }
      // Standard cron: when both day fields are restricted, either one matching is enough.
      const day = days!.has(date.getDate());
      const weekday = weekdays!.has(date.getDay());
      if (anyDay && anyWeekday) return true;
      if (anyDay) return weekday;
      if (anyWeekday) return day;
      return day || weekday;
    },
  };
}
