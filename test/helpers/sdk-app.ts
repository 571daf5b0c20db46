// A temp app listening on loopback with the official SDK signed in as a superuser: the set-up of the tests that
// drive the API as an admin script or the dashboard would.
import PocketBase from 'pocketbase';
import type { AppOptions, RunningServer, SatchelApp } from '../../src/app.js';
import { superuserToken } from './auth.js';
import { tempApp, type TempDirs } from './temp-app.js';

export interface SdkApp {
  app: SatchelApp;
  dirs: TempDirs;
  server: RunningServer;
  /** Signed in as a superuser; auto-cancellation off, as scripts use it. */
  pb: PocketBase;
  cleanup(): Promise<void>;
}

export async function sdkApp(
  collections: ({ name: string } & Record<string, unknown>)[],
  options: Omit<AppOptions, 'dataDir' | 'collectionsDir'> = {},
): Promise<SdkApp> {
  const { app, dirs, cleanup } = await tempApp(collections, options);
  const server = await app.listen({ port: 0 });
  const pb = new PocketBase(server.url).autoCancellation(false);
  pb.authStore.save(await superuserToken(app), null);
  return {
    app,
    dirs,
    server,
    pb,
    cleanup: async () => {
      await server.close();
      await cleanup();
    },
  };
}
