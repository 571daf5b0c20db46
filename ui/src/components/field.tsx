// A labelled input with its error message beside it (the label's `for` and aria-describedby tie them together).
import type { ComponentChildren } from 'preact';

interface Props {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string | undefined;
  /** The control itself; it must carry `id` (and may use `describedBy(id)`). */
  children: ComponentChildren;
}

/** The id of a field's error text, for aria-describedby. */
export const errorId = (id: string) => `${id}-error`;

export function Field({ id, label, error, hint, children }: Props) {
  return (
    <div class={error ? 'field invalid' : 'field'}>
      <label for={id}>{label}</label>
      {children}
      {hint && <small class="hint">{hint}</small>}
      {error && (
        <p class="field-error" id={errorId(id)} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
