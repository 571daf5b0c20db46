// The code a browser runs at /_/: the page and the scripts it loads. The built dashboard keeps its logic in a
// hashed script; the minimal page (no build) keeps it inline. Tests that look for what the page does read both.
export async function dashboardCode(get: (path: string) => Promise<Response>): Promise<string> {
  const html = await (await get('/_/')).text();
  const scripts = [...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!);
  const bodies = await Promise.all(scripts.map(async (src) => (await get(src)).text()));
  return [html, ...bodies].join('\n');
}
