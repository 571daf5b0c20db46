// A real OpenID Connect provider on loopback (the `oidc-provider` package with its development login pages),
// and a browser stand-in that signs a user in over HTTP: it follows redirects with a cookie jar and submits
// the login and consent forms, so OAuth2 tests need neither a browser nor an outside host.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
  picture?: string;
}

export interface OidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Starts answering, with these redirect URIs registered for the client. Call once. */
  start(redirectUris: string[]): void;
  /** Users the provider knows, by `sub` (the login name typed in its form). */
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

/** Listens first (so the issuer URL is known for the collection files), answers once `start` is called. */
export async function oidcProvider(): Promise<OidcProvider> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(503).end('not started');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const accounts = new Map<string, TestAccount>();
  const clientId = 'satchel-test';
  const clientSecret = 'a-client-secret-of-satchel-test';
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    start(redirectUris) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: redirectUris,
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        claims: {
          openid: ['sub'],
          email: ['email', 'email_verified'],
          profile: ['name', 'preferred_username', 'picture'],
        },
        findAccount: (_ctx, id) => {
          const account = accounts.get(id);
          return account ? { accountId: id, claims: () => ({ ...account }) } : undefined;
        },
        cookies: { keys: ['oidc-test-cookie-key'] },
        features: { devInteractions: { enabled: true } },
        pkce: { required: () => true },
        // Set, so the provider does not print a notice for each default it falls back to.
        ttl: { Interaction: 600, Session: 600, Grant: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
      });
      server.removeAllListeners('request');
      server.on('request', provider.callback());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A cookie jar for one host: name=value pairs, attributes ignored (all loopback, all one test). */
class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/** The action of the page's first form. */
function formAction(html: string, base: string): string {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`the provider's page has no form: ${html.slice(0, 200)}`);
  return new URL(action.replace(/&amp;/g, '&'), base).toString();
}

/**
 * Plays the browser: opens `authUrl`, signs in as `login` on the provider's form, consents, and answers the URL
 * the provider finally redirects to (the app's redirect URL with `code` and `state`), without requesting it.
 */
export async function signInAtProvider(authUrl: string, login: string, maxSteps = 12): Promise<URL> {
  const jar = new CookieJar();
  const origin = new URL(authUrl).origin;
  let next: { url: string; init?: RequestInit } = { url: authUrl };
  for (let step = 0; step < maxSteps; step++) {
    const response = await fetch(next.url, {
      ...next.init,
      redirect: 'manual',
      headers: { cookie: jar.header(), ...(next.init?.headers as Record<string, string> | undefined) },
    });
    jar.take(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const target = new URL(location, next.url);
      if (target.origin !== origin) return target;
      next = { url: target.toString() };
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status}: ${html.slice(0, 300)}`);
    const action = formAction(html, next.url);
    const fields: Record<string, string> = /name="prompt" value="login"/.test(html)
      ? { prompt: 'login', login, password: 'any password' }
      : { prompt: 'consent' };
    next = {
      url: action,
      init: {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      },
    };
  }
  throw new Error(`no redirect back to the app after ${maxSteps} steps`);
}
