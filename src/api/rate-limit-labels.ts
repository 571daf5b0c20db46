// The labels a request is known by to the rate-limit rules, as PocketBase names them: `<collection>:<tag>` and
// `*:<tag>` for the record and auth routes, then `METHOD /path` and `/path`.

/** The tags of each route under /api/collections/{collection}/, by method and the rest of the path. */
const AUTH_ROUTE_TAGS: Record<string, string[]> = {
  'GET auth-methods': ['listAuthMethods'],
  'POST auth-refresh': ['authRefresh'],
  'POST auth-with-password': ['authWithPassword', 'auth'],
  'POST auth-with-oauth2': ['authWithOAuth2', 'auth'],
  'POST request-otp': ['requestOTP', 'auth'],
  'POST auth-with-otp': ['authWithOTP', 'auth'],
  // Satchel counts the requests that send mail as `auth` too: each one can probe whether an address is taken.
  'POST request-password-reset': ['requestPasswordReset', 'auth'],
  'POST confirm-password-reset': ['confirmPasswordReset'],
  'POST request-verification': ['requestVerification', 'auth'],
  'POST confirm-verification': ['confirmVerification'],
  'POST request-email-change': ['requestEmailChange', 'auth'],
  'POST confirm-email-change': ['confirmEmailChange'],
};

const RECORD_TAGS: Record<string, string> = { GET: 'view', PATCH: 'update', DELETE: 'delete' };

export interface RouteTags {
  /** The collection named in the path (an id or a name, as sent). */
  collection: string;
  tags: string[];
}

/**
 * The collection and tags of a request, or undefined for routes without any. `isAuth` says whether a
 * collection is an auth collection: a create there is a sign-up, counted as `auth` before `create`.
 */
export function routeTags(
  method: string,
  path: string,
  isAuth: (collection: string) => boolean,
): RouteTags | undefined {
  if (path === '/user') return method === 'PUT' ? { collection: 'users', tags: ['auth', 'create'] } : undefined;
  const files = /^\/api\/files\/([^/]+)\/[^/]+\/[^/]+$/.exec(path);
  if (files) return method === 'GET' ? { collection: decodeURIComponent(files[1]!), tags: ['file'] } : undefined;
  const m = /^\/api\/collections\/([^/]+)\/(records(?:\/([^/]+))?|[a-z0-9-]+)$/.exec(path);
  if (!m) return undefined;
  const collection = decodeURIComponent(m[1]!);
  if (m[2] === 'records') {
    if (method === 'GET') return { collection, tags: ['list'] };
    if (method === 'POST') return { collection, tags: isAuth(collection) ? ['auth', 'create'] : ['create'] };
    return undefined;
  }
  const tag = m[3] ? RECORD_TAGS[method] : AUTH_ROUTE_TAGS[`${method} ${m[2]}`];
  if (!tag) return undefined;
  return { collection, tags: typeof tag === 'string' ? [tag] : tag };
}

/** Every label, most specific first: the first one a rule matches decides. */
export function rateLimitLabels(method: string, path: string, route: RouteTags | undefined, name?: string): string[] {
  const labels: string[] = [];
  if (route) {
    if (name) for (const tag of route.tags) labels.push(`${name}:${tag}`);
    for (const tag of route.tags) labels.push(`*:${tag}`);
  }
  labels.push(`${method} ${path}`, path);
  return labels;
}
