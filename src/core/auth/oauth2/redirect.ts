// /api/oauth2-redirect, the end of the SDK's popup flow: the SDK subscribed to `@oauth2` on its realtime
// connection and sent that connection's id as the OAuth2 `state`; the provider's redirect lands here and the
// code is handed to that connection, which then calls auth-with-oauth2 itself.
import type { RealtimeService } from '../../realtime/index.js';
import { keepAppleName } from './apple-names.js';

export const OAUTH2_TOPIC = '@oauth2';

export interface OAuth2Redirect {
  state: string;
  code: string;
  error: string;
  /** Apple's `user` form field (the name, sent once). */
  appleUser?: string;
}

/** Why a redirect did not reach an app, or undefined when it went through with a code. */
export type RedirectProblem = 'missing-state' | 'unknown-state' | 'provider-error';

/**
 * Hands `{state, code, error}` to the realtime client whose id is `state`, once: that client must be listening
 * on `@oauth2` and come from the same IP as the browser that completed the sign-in (as PocketBase checks).
 */
export async function forwardRedirect(
  realtime: RealtimeService,
  redirect: OAuth2Redirect,
  ip: string,
): Promise<RedirectProblem | undefined> {
  if (!redirect.state) return 'missing-state';
  const client = realtime.clients.get(redirect.state);
  const subscription = client && [...client.subscriptions.values()].find((s) => s.topic === OAUTH2_TOPIC);
  if (!client || client.closed || !subscription || client.ip !== ip) return 'unknown-state';
  // Used once: a second redirect with the same state finds nobody listening.
  realtime.clients.subscribe(
    client,
    [...client.subscriptions.values()].filter((s) => s !== subscription),
  );
  if (redirect.appleUser && redirect.code && !redirect.error) keepAppleName(redirect.code, redirect.appleUser);
  const message = { state: redirect.state, code: redirect.code, ...(redirect.error ? { error: redirect.error } : {}) };
  await realtime.send(client, { name: subscription.key, data: JSON.stringify(message) });
  return redirect.error || !redirect.code ? 'provider-error' : undefined;
}
