// Turns the plain input of sealed fields (passwords) into the values stored, before the write transaction.
import type { CompiledCollection } from '../compiled.js';
import { rotateTokenKey } from './auth-collection.js';
import type { AppliedInput } from './input.js';

export async function seal(compiled: CompiledCollection, input: AppliedInput): Promise<void> {
  if (!input.sealed.size) return;
  for (const [name, plain] of input.sealed) {
    const field = compiled.byName.get(name)!;
    input.values[name] = await field.type.sealed!.seal(String(plain), field.def);
  }
  // A new password signs the record out everywhere: its tokens were signed with the old key.
  if (compiled.collection.type === 'auth') rotateTokenKey(compiled, input.values);
}
