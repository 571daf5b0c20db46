// Names offered under a filter or rule input (field names, @request.auth.id, ...): a click puts one where the
// cursor is, as typing it would. The filter box and the rules editor share it.
import type { RefObject } from 'preact';

/** `text` with `name` put at the cursor of `el` (or at the end), and the cursor after it once rendered. */
export function insertAtCursor(el: HTMLInputElement | HTMLTextAreaElement | null, text: string, name: string): string {
  const at = el?.selectionStart ?? text.length;
  const end = el?.selectionEnd ?? at;
  requestAnimationFrame(() => {
    el?.focus();
    el?.setSelectionRange(at + name.length, at + name.length);
  });
  return text.slice(0, at) + name + text.slice(end);
}

interface Props {
  names: string[];
  label: string;
  target: RefObject<HTMLInputElement | HTMLTextAreaElement>;
  value: string;
  onChange: (value: string) => void;
}

export function NameChips({ names, label, target, value, onChange }: Props) {
  return (
    <div class="suggestions" role="group" aria-label={label}>
      {names.map((name) => (
        <button
          type="button"
          key={name}
          class="chip"
          onClick={() => onChange(insertAtCursor(target.current, value, name))}
        >
          {name}
        </button>
      ))}
    </div>
  );
}
