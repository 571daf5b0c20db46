// Cron expressions as users write them, matched against local times.
import { describe, expect, it } from 'vitest';
import { CronError, parseSchedule } from '../../src/core/cron/schedule.js';

const at = (y: number, mo: number, d: number, h: number, mi: number) => new Date(y, mo - 1, d, h, mi);

describe('cron schedules', () => {
  it('steps, ranges, lists and macros', () => {
    const every5 = parseSchedule('*/5 * * * *');
    expect(every5.matches(at(2026, 11, 30, 10, 15))).toBe(true);
    expect(every5.matches(at(2026, 11, 30, 10, 16))).toBe(false);
    const office = parseSchedule('0 9-17 * * 1-5');
    expect(office.matches(at(2026, 11, 30, 9, 0))).toBe(true); // a Monday
    expect(office.matches(at(2026, 11, 29, 9, 0))).toBe(false); // a Sunday
    expect(office.matches(at(2026, 11, 30, 18, 0))).toBe(false);
    expect(parseSchedule('@daily').matches(at(2026, 1, 2, 0, 0))).toBe(true);
    expect(parseSchedule('@hourly').matches(at(2026, 1, 2, 5, 1))).toBe(false);
    expect(parseSchedule('0 0 * * 7').matches(at(2026, 11, 29, 0, 0))).toBe(true); // 7 is Sunday too
    expect(parseSchedule('30 2 1,15 * *').matches(at(2026, 3, 15, 2, 30))).toBe(true);
  });

  it('both day fields restricted: either one matching is enough (standard cron)', () => {
    const s = parseSchedule('0 0 13 * 5');
    expect(s.matches(at(2026, 11, 13, 0, 0))).toBe(true); // the 13th (a Friday as it happens)
    expect(s.matches(at(2026, 11, 20, 0, 0))).toBe(true); // a Friday
    expect(s.matches(at(2026, 11, 19, 0, 0))).toBe(false);
  });

  it('refuses what is not a schedule, saying why', () => {
    for (const bad of ['* * * *', '60 * * * *', '* 24 * * *', '*/0 * * * *', '5-1 * * * *', 'hello', '@often']) {
      expect(() => parseSchedule(bad), bad).toThrow(CronError);
    }
  });
});
