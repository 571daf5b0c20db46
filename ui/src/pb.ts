// The one SDK client the dashboard uses: same origin, session in localStorage (the SDK's LocalAuthStore).
import PocketBase, { ClientResponseError } from 'pocketbase';

export const pb = new PocketBase('/');

// Two quick list loads of the same table are both wanted (the newer one wins in the view), not cancelled.
pb.autoCancellation(false);

// A 401 on anything but a sign-in means the session is gone: dropping it shows the sign-in form in place,
// and the address (the hash) stays, so signing in again returns to where the person was.
pb.afterSend = (response, data) => {
  if (response.status === 401 && !/auth-with-password|\/api\/installer/.test(response.url) && pb.authStore.token) {
    sessionEnded = true;
    pb.authStore.clear();
  }
  return data;
};

/** True when the server refused the stored session (expired, revoked): the sign-in form says so. */
export let sessionEnded = false;
pb.authStore.onChange(() => {
  if (pb.authStore.isValid) sessionEnded = false;
});
// A token kept from an earlier visit that has expired since: the same message, and no request made with it.
if (pb.authStore.token && !pb.authStore.isValid) {
  sessionEnded = true;
  pb.authStore.clear();
}

/** True when the stored session is a superuser's and its token has not expired. */
export const signedIn = (): boolean => pb.authStore.isValid && pb.authStore.isSuperuser;

/** The message a person should read for a failed call. */
export function errorText(err: unknown): string {
  if (err instanceof ClientResponseError) {
    if (err.status === 0) return 'The server could not be reached.';
    return err.response?.message || err.message || `Request failed (${err.status}).`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** The server's per-field validation messages (`data.<field>.message` of a 400). */
export function fieldErrors(err: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(err instanceof ClientResponseError)) return out;
  const data = (err.response?.data ?? {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(data)) {
    const message = (value as { message?: unknown } | null)?.message;
    out[name] = typeof message === 'string' ? message : JSON.stringify(value);
  }
  return out;
}
