// The API reference of a running engine: the document for an audience, built from the collections and settings
// as they are at the moment it is asked for, plus the routes extensions described.
import type { CollectionRegistry } from '../collections/registry.js';
import type { Collection } from '../collections/model.js';
import type { Settings, SettingsService } from '../settings/settings.js';
import type { OpenApiInput } from './document.js';
import type { JsonSchema } from './json-schema.js';
import type { Audience } from './record-schemas.js';
import type { RouteDescriber, RouteDoc } from './routes.js';

/** What a built document depends on: when none of it changed, the same document is answered again. */
interface Built {
  collections: readonly unknown[];
  settings: unknown;
  routes: number;
  url: string;
  document: JsonSchema;
}

type BuildDocument = (input: OpenApiInput) => JsonSchema;

export class ApiReference {
  private readonly routes: RouteDescriber[] = [];
  // The registry and the settings replace their objects on every change, so identity says "unchanged".
  private readonly built = new Map<Audience, Built>();
  private builder: Promise<BuildDocument> | undefined;

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

  /**
   * The OpenAPI 3.1 document for `audience`, as the server is now (do not change it: it may be shared). The
   * builder (and the JSON Schema converter it uses) is loaded with the first document: a start never pays for it.
   */
  async document(audience: Audience): Promise<JsonSchema> {
    const build = await (this.builder ??= import('./document.js').then((m) => m.buildOpenApiDocument));
    const settings = this.settings.get();
    const collections = this.collections.all();
    const url = this.appUrl();
    const last = this.built.get(audience);
    if (
      last &&
      last.collections === collections &&
      last.settings === settings &&
      last.routes === this.routes.length &&
      last.url === url
    ) {
      return last.document;
    }
    const document = this.build(build, audience, collections, settings, url);
    this.built.set(audience, { collections, settings, routes: this.routes.length, url, document });
    return document;
  }

  private build(
    buildOpenApiDocument: BuildDocument,
    audience: Audience,
    collections: readonly Collection[],
    settings: Settings,
    serverUrl: string,
  ): JsonSchema {
    return buildOpenApiDocument({
      collections,
      audience,
      errorFormat: settings.errors,
      batchEnabled: settings.batch.enabled,
      routes: this.routes
        .map((route) => (typeof route === 'function' ? route({ settings }) : route))
        .filter((route): route is RouteDoc => route !== undefined),
      serverUrl,
      title: `${settings.meta.appName || 'Satchel'} API`,
    });
  }
}
