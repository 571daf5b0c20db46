// The API rules of a collection in the filter language: each one locked (superusers only), open to everyone
// (empty), or a filter. The names a rule may use are offered under it and inserted where the cursor is; the
// server's message for a rule it refuses shows next to that rule.
import { useRef } from 'preact/hooks';
import { NameChips } from '../components/name-chips';
import { AUTH_RULES, RULES, type CollectionDraft, type RuleDraft, type RuleName } from './schema-draft';

const REQUEST_NAMES = ['@request.auth.id', '@request.auth.collectionName', '@request.body.', '@request.query.', '@now'];

interface Props {
  draft: CollectionDraft;
  errors: Record<string, string>;
  onChange: (rules: Record<RuleName, RuleDraft>) => void;
}

export function RulesEditor({ draft, errors, onChange }: Props) {
  const names = draft.type === 'auth' ? [...RULES, ...AUTH_RULES] : [...RULES];
  const fieldNames = draft.fields.map((f) => f.name).filter(Boolean);
  return (
    <fieldset class="rules-editor">
      <legend>API rules</legend>
      {names.map((rule) => (
        <RuleInput
          key={rule}
          rule={rule}
          value={draft.rules[rule]}
          error={errors[rule]}
          suggestions={[...fieldNames, ...REQUEST_NAMES]}
          onChange={(value) => onChange({ ...draft.rules, [rule]: value })}
        />
      ))}
    </fieldset>
  );
}

function RuleInput(props: {
  rule: RuleName;
  value: RuleDraft;
  error: string | undefined;
  suggestions: string[];
  onChange: (value: RuleDraft) => void;
}) {
  const { rule, value, error, suggestions, onChange } = props;
  const area = useRef<HTMLTextAreaElement>(null);
  const id = `rule-${rule}`;

  return (
    <div class={error ? 'field rule invalid' : 'field rule'}>
      <div class="row">
        <label for={id}>{rule}</label>
        <label>
          <input
            type="checkbox"
            checked={value.locked}
            onChange={(e) => onChange({ ...value, locked: e.currentTarget.checked })}
          />{' '}
          locked (superusers only)
        </label>
      </div>
      {!value.locked && (
        <>
          <textarea
            id={id}
            ref={area}
            rows={1}
            class="code"
            placeholder="Empty: everyone. Or a filter, e.g. @request.auth.id != ''"
            value={value.text}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(e) => onChange({ ...value, text: e.currentTarget.value })}
          />
          <NameChips
            names={suggestions}
            label={`Names for ${rule}`}
            target={area}
            value={value.text}
            onChange={(text) => onChange({ ...value, text })}
          />
        </>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
