// Ids for log entries in the record id format (15 characters of [a-z0-9]), cheap enough for every request and
// rising: a random prefix per process, then a counter, so each insert lands at the end of the id index.
import { randomString } from '../ids.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const COUNTER_DIGITS = 9;

export class LogIds {
  private readonly prefix = randomString(15 - COUNTER_DIGITS, ALPHABET);
  private counter = 0;

  next(): string {
    // 36^9 ids per process before the counter would wrap: far more than a process ever logs.
    return this.prefix + (this.counter++).toString(36).padStart(COUNTER_DIGITS, '0');
  }
}
