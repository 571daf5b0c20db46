// "Duplicate" on a record: its values (not its id, files, password or server dates) carried to the new-record
// form, which takes them once.
import type { RecordModel } from 'pocketbase';

let pending: { collection: string; record: RecordModel } | undefined;

export function startDuplicate(collection: string, record: RecordModel): void {
  pending = { collection, record };
}

/** The record to copy into a new one of `collection`, once. */
export function takeDuplicate(collection: string): RecordModel | undefined {
  const found = pending?.collection === collection ? pending.record : undefined;
  pending = undefined;
  return found;
}
