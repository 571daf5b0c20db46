// The hash limiter: never more computations at once than its limit, every task runs, errors pass through.
import { describe, expect, it } from 'vitest';
import { Slots } from '../../src/core/passwords/hash-slots.js';

describe('Slots', () => {
  it('runs at most `limit` tasks at once, in arrival order, and all of them', async () => {
    const slots = new Slots(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const task = (i: number) =>
      slots.run(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return i;
      });
    const results = await Promise.all(Array.from({ length: 7 }, (_, i) => task(i)));
    expect(results).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
  });

  it('frees the slot of a task that fails', async () => {
    const slots = new Slots(1);
    await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(slots.run(async () => 'next')).resolves.toBe('next');
  });
});
