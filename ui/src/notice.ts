// A one-line message that outlives a page change (e.g. "The superuser was created." after the installer).
import { useEffect, useState } from 'preact/hooks';

let current = '';
const listeners = new Set<(text: string) => void>();

export function setNotice(text: string): void {
  current = text;
  for (const listener of listeners) listener(text);
}

export function useNotice(): string {
  const [text, setText] = useState(current);
  useEffect(() => {
    listeners.add(setText);
    return () => void listeners.delete(setText);
  }, []);
  return text;
}
