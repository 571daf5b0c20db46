// Hash routing (#/collections/posts, #/logs/<id>, ...): the server serves one page for every /_/ path.
import { useEffect, useState } from 'preact/hooks';

/** The hash as decoded path segments: "#/collections/posts" -> ["collections", "posts"]. */
export function currentRoute(): string[] {
  return location.hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
}

/** The current route; re-renders on every hash change. */
export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** A hash link to a route made of raw segments (each encoded). */
export const href = (...parts: string[]): string => '#/' + parts.map(encodeURIComponent).join('/');

/** Goes to a route; `replace` keeps it out of history (an installer link must not be revisited). */
export function navigate(hash: string, replace = false): void {
  if (replace) {
    history.replaceState(null, '', hash);
    dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    location.hash = hash;
  }
}
