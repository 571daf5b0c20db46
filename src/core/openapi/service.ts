// The API reference of a running engine: the document for an audience, built from the collections and settings
// as they are at the moment it is asked for, plus the routes extensions described.
import type { CollectionRegistry } from '../collections/registry.js';
import type { SettingsService } from '../settings/settings.js';
import { buildOpenApiDocument } from './document.js';
import type { JsonSchema } from './json-schema.js';
import type { Audience } from './record-schemas.js';
import type { RouteDescriber, RouteDoc } from './routes.js';

export class ApiReference {
  private readonly routes: RouteDescriber[] = [];

  constructor(
    private readonly collections: CollectionRegistry,
    private readonly settings: SettingsService,
    private readonly appUrl: () => string,
  ) {}

  /**
   * Adds a route an extension serves to the reference: its description, or a function that gives it for the
   * settings of the moment (undefined while the route is not served).
   */
  describe(route: RouteDescriber): void {
    this.routes.push(route);
  }

  /** The OpenAPI 3.1 document for `audience`, as the server is now. */
  document(audience: Audience): JsonSchema {
    const settings = this.settings.get();
    return buildOpenApiDocument({
      collections: this.collections.all(),
      audience,
      errorFormat: settings.errors,
      batchEnabled: settings.batch.enabled,
      routes: this.routes
        .map((route) => (typeof route === 'function' ? route({ settings }) : route))
        .filter((route): route is RouteDoc => route !== undefined),
      serverUrl: this.appUrl(),
      title: `${settings.meta.appName || 'Satchel'} API`,
    });
  }
}
