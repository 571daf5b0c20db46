// GET|POST /api/oauth2-redirect: where a provider sends the browser back in the SDK's popup flow. The code goes
// to the app's realtime connection (core/auth/oauth2/redirect.ts); the browser gets a page that says to close
// the window (PocketBase sends it to its dashboard's success or failure page), or JSON when it asks for JSON.
import type { Context, Hono } from 'hono';
import { forwardRedirect, type RedirectProblem } from '../core/auth/oauth2/redirect.js';
import type { RealtimeService } from '../core/realtime/index.js';
import { clientIp } from './client-ip.js';
import type { AppEnv } from './context.js';

const PROBLEMS: Record<RedirectProblem, string> = {
  'missing-state': 'The OAuth2 redirect has no state parameter.',
  'unknown-state': 'The OAuth2 state does not match a waiting sign-in (it expired, was used, or is wrong).',
  'provider-error': 'The provider did not sign you in.',
};

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
  `<title>${title}</title></head><body style="font:16px system-ui,sans-serif;margin:4rem auto;max-width:32rem;` +
  `text-align:center"><h1 style="font-size:1.4rem">${title}</h1><p>${text}</p></body></html>`;

const one = (value: unknown) => (typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : '');

async function redirectData(c: Context<AppEnv>) {
  if (c.req.method === 'GET') {
    return { state: c.req.query('state') ?? '', code: c.req.query('code') ?? '', error: c.req.query('error') ?? '' };
  }
  // Apple posts the form (response_mode=form_post); values are read as sent, never retyped.
  const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  return { state: one(form.state), code: one(form.code), error: one(form.error), appleUser: one(form.user) };
}

export function bindOAuth2RedirectRoute(app: Hono<AppEnv>, realtime: RealtimeService): void {
  app.on(['GET', 'POST'], '/api/oauth2-redirect', async (c) => {
    const problem = await forwardRedirect(realtime, await redirectData(c), clientIp(c));
    const wantsHtml = (c.req.header('accept') ?? '').includes('text/html');
    if (!problem) {
      if (!wantsHtml) return c.json({ status: 200, message: 'Auth completed.' });
      return c.html(page('Signed in', 'Auth completed. You can close this window and go back to the app.'));
    }
    const message = PROBLEMS[problem];
    if (!wantsHtml) return c.json({ status: 400, message, data: {} }, 400);
    return c.html(
      page('Sign-in failed', `${message} You can close this window and go back to the app to try again.`),
      400,
    );
  });
}
