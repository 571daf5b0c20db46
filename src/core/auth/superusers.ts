// Superuser accounts: the records of the built-in `_superusers` collection, managed from the CLI and the installer.
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import type { CollectionRegistry } from '../collections/registry.js';
import { SUPERUSERS_ID } from '../collections/system-collections.js';
import { SUPERUSER } from '../records/access.js';
import type { RecordService } from '../records/service.js';
import type { RecordJson } from '../records/serialize.js';
import type { AuthRecords } from './auth-records.js';

export class SuperuserService {
  constructor(
    private readonly registry: CollectionRegistry,
    private readonly records: RecordService,
    private readonly store: AuthRecords,
  ) {}

  get collection(): Collection {
    return this.registry.find(SUPERUSERS_ID)!;
  }

  count(): number {
    return this.store.count(this.collection);
  }

  /** Creates the superuser, or sets its password when the e-mail is taken. Invalid input is a 400 with field errors. */
  async upsert(email: string, password: string): Promise<{ created: boolean; record: RecordJson }> {
    const existing = this.store.byField(this.collection, 'email', email);
    if (existing) {
      const record = await this.records.update(
        SUPERUSERS_ID,
        String(existing.id),
        { password, passwordConfirm: password },
        SUPERUSER,
      );
      return { created: false, record };
    }
    return { created: true, record: await this.create(email, password, password) };
  }

  /** Creates a superuser; superusers are verified from the start, as in PocketBase. */
  create(email: string, password: string, passwordConfirm: string): Promise<RecordJson> {
    return this.records.create(SUPERUSERS_ID, { email, password, passwordConfirm, verified: true }, SUPERUSER);
  }

  async delete(email: string): Promise<void> {
    const existing = this.store.byField(this.collection, 'email', email);
    if (!existing) throw ApiError.notFound(`No superuser has the e-mail ${email}.`);
    await this.records.delete(SUPERUSERS_ID, String(existing.id), SUPERUSER);
  }
}
