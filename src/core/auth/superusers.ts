// Superuser accounts: the records of the built-in `_superusers` collection, managed from the CLI and the installer.
import { ApiError } from '../errors.js';
import type { Collection } from '../collections/model.js';
import { SUPERUSERS_ID } from '../collections/system-collections.js';
import { SUPERUSER, type RecordJson, type RecordService } from '../records/index.js';

export class SuperuserService {
  constructor(private readonly records: RecordService) {}

  get collection(): Collection {
    return this.records.collection(SUPERUSERS_ID);
  }

  count(): Promise<number> {
    return this.records.count(this.collection);
  }

  /** Creates the superuser, or sets its password when the e-mail is taken. Invalid input is a 400 with field errors. */
  async upsert(email: string, password: string): Promise<{ created: boolean; record: RecordJson }> {
    const existing = await this.records.storedByField(this.collection, 'email', email);
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
    const existing = await this.records.storedByField(this.collection, 'email', email);
    if (!existing) throw ApiError.notFound(`No superuser has the e-mail ${email}.`);
    await this.records.delete(SUPERUSERS_ID, String(existing.id), SUPERUSER);
  }
}
