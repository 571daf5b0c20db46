// How the engine's services keep in step with the other Satchel processes on the same database: each change made
// here is announced on the coordination's bus, and each announced change is read back from the database. With one
// process (the local coordination) nothing is ever announced or heard.
import type { CollectionManager } from './collections/manager.js';
import type { Coordination } from './db/index.js';
import type { SettingsService } from './settings/settings.js';

/** Bus channels of the shared state. */
const SETTINGS = 'settings';
const COLLECTIONS = 'collections';

/** A settings change saved here is read by every other process (the notice carries nothing: secrets stay put). */
export function shareSettings(settings: SettingsService, coordination: Coordination): void {
  settings.onChange((_settings, origin) => {
    if (origin === 'local') void coordination.bus.publish(SETTINGS, null);
  });
  coordination.bus.subscribe(SETTINGS, () => settings.reload());
  // Notices missed while the bus was down: read the settings again anyway.
  coordination.onResume(() => settings.reload());
}

/**
 * A schema change made through this process's collections API, by --watch, or by its start (`startChanged`, see
 * CollectionManager.started) is served by the others (the notice only says "read it": the schema is stored with
 * the change).
 */
export function shareSchema(schema: CollectionManager, coordination: Coordination, startChanged: boolean): void {
  schema.onChange(() => void coordination.bus.publish(COLLECTIONS, null));
  if (startChanged) void coordination.bus.publish(COLLECTIONS, null);
  coordination.bus.subscribe(COLLECTIONS, () => schema.adoptStored());
  coordination.onResume(() => schema.adoptStored());
}
