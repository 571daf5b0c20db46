// `_externalAuths`: the links between provider accounts and records. Links are made here (by the OAuth2 flow)
// and go with their record: deleting a user deletes its links in the same transaction, through the write
// pipeline, so hooks and realtime see them go.
import type { Collection } from '../../collections/model.js';
import { EXTERNAL_AUTHS_NAME } from '../../collections/system-collections.js';
import type { Store } from '../../db/index.js';
import { EMPTY_REQUEST, SUPERUSER, type RecordChange, type RecordService } from '../../records/index.js';

export interface ExternalAuthLink {
  id: string;
  recordRef: string;
}

export class ExternalAuths {
  constructor(
    private readonly store: Store,
    private readonly records: RecordService,
  ) {
    records.writer.listen({
      beforeDelete: (change) => this.recordDeleted(change),
      beforeAuthUpdate: (change) => this.verifiedNow(change),
      committed: () => undefined,
    });
  }

  /** The link of this provider account to a record of `collection`, if there is one. */
  find(collection: Collection, provider: string, providerId: string): Promise<ExternalAuthLink | undefined> {
    return this.store.one<ExternalAuthLink>(
      'SELECT "id", "recordRef" FROM "_externalAuths" WHERE "collectionRef" = ? AND "provider" = ? AND "providerId" = ?',
      [collection.id, provider, providerId],
    );
  }

  /** Links a provider account to a record (as the engine: `_externalAuths` takes no creates from clients). */
  async link(collection: Collection, recordId: string, provider: string, providerId: string): Promise<void> {
    await this.records.create(
      EXTERNAL_AUTHS_NAME,
      { collectionRef: collection.id, recordRef: recordId, provider, providerId },
      SUPERUSER,
    );
  }

  /** Removes one link. */
  async remove(id: string): Promise<void> {
    const external = this.records.collection(EXTERNAL_AUTHS_NAME);
    const values = await this.records.storedById(external, id);
    if (!values) return;
    await this.records.writer.delete(this.records.catalog.compiled(external), values, {
      access: SUPERUSER,
      request: EMPTY_REQUEST,
      cause: 'cascade',
    });
  }

  /** Removes every link of a record (a user that is not verified keeps at most the link it signs in with). */
  async unlinkAll(collection: Collection, recordId: string): Promise<void> {
    const links = await this.store.all<{ id: string }>(
      'SELECT "id" FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?',
      [collection.id, recordId],
    );
    for (const { id } of links) await this.remove(id);
  }

  /**
   * An account becomes verified (a confirmed e-mail, a one-time code, a superuser): links made while nobody had
   * proven the address may be someone else's, so they go, and with them every session (a new token key), as
   * PocketBase does.
   */
  private async verifiedNow(change: RecordChange): Promise<void> {
    if (change.record.verified !== true || change.cause === 'oauth2') return;
    const id = String(change.record.id);
    const stored = await this.records.storedById(change.collection, id);
    if (!stored || stored.verified === true) return;
    const links = await this.store.one<{ n: number }>(
      'SELECT COUNT(*) AS "n" FROM "_externalAuths" WHERE "collectionRef" = ? AND "recordRef" = ?',
      [change.collection.id, id],
    );
    if (!links?.n) return;
    await this.unlinkAll(change.collection, id);
    if (change.record.tokenKey === stored.tokenKey) {
      change.record.tokenKey = this.records.generate(change.collection, 'tokenKey');
    }
  }

  private async recordDeleted(change: RecordChange): Promise<void> {
    if (change.collection.type !== 'auth') return;
    await this.unlinkAll(change.collection, String(change.record.id));
  }
}
