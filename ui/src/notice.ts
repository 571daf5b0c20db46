// A one-line message that outlives a page change (e.g. "The superuser was created." after the installer).
import { useEffect, useState } from 'preact/hooks';

/** Long enough to read; a notice left standing would describe a page the person has long left. */
const SHOWN_MS = 8000;

let current = '';
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<(text: string) => void>();

export function setNotice(text: string): void {
  current = text;
  for (const listener of listeners) listener(text);
  clearTimeout(timer);
  if (text) timer = setTimeout(() => setNotice(''), SHOWN_MS);
}

export function useNotice(): string {
  const [text, setText] = useState(current);
  useEffect(() => {
    listeners.add(setText);
    return () => void listeners.delete(setText);
  }, []);
  return text;
}
