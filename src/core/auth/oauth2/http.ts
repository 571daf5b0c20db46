// Calls to a provider: bounded in time and size, and every failure a ProviderError that says what went wrong
// (never a secret: request bodies and headers stay out of the message).

/** How long one call to a provider may take. */
export const PROVIDER_TIMEOUT_MS = 15_000;
/** The largest answer read from a provider (user info, tokens, keys and discovery documents are small). */
export const MAX_PROVIDER_ANSWER = 1024 * 1024;

/** A provider did not answer as it should: the sign-in fails with a 400 that carries this message. */
export class ProviderError extends Error {}

/** Reads at most MAX_PROVIDER_ANSWER bytes of a response as text. */
async function boundedText(response: Response, url: string): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_PROVIDER_ANSWER) {
      await reader.cancel();
      throw new ProviderError(`the answer of ${url} is larger than ${MAX_PROVIDER_ANSWER} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The endpoint without its query (which may hold a key, e.g. Facebook's fields or a token). */
const shown = (url: string) => url.split('?')[0]!;

/**
 * Sends a request and parses the JSON answer. A network failure, a timeout, a non-2xx status or a body that is
 * not a JSON object is a ProviderError; `onStatus` may turn a non-2xx answer into a result instead.
 */
export async function providerJson(
  url: string,
  init: RequestInit = {},
  onStatus?: (status: number, body: Record<string, unknown> | undefined) => Record<string, unknown> | undefined,
): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      headers: { accept: 'application/json', ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (err) {
    const reason = (err as Error).name === 'TimeoutError' ? 'timed out' : 'could not be reached';
    throw new ProviderError(`${shown(url)} ${reason}`);
  }
  const body = await boundedText(response, shown(url));
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  const object =
    json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
  if (!response.ok) {
    const handled = onStatus?.(response.status, object);
    if (handled) return handled;
    const reason = object ? describeOAuthError(object) : '';
    throw new ProviderError(`${shown(url)} answered ${response.status}${reason ? ` (${reason})` : ''}`);
  }
  if (Array.isArray(json)) return { items: json };
  if (!object) throw new ProviderError(`${shown(url)} did not answer with JSON`);
  return object;
}

/** `error: error_description` of an OAuth2 error answer, cut to a readable length. */
export function describeOAuthError(body: Record<string, unknown>): string {
  const error = typeof body.error === 'string' ? body.error : '';
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  return [error, description].filter(Boolean).join(': ').slice(0, 200);
}
