// The rate-limit rules as a small table: a label (`*:auth`, `users:create`, `/api/`, `POST /api/batch`), who it
// applies to, and how many requests per how many seconds.
import type { RateLimitRuleValue } from './groups';

interface Props {
  rules: RateLimitRuleValue[];
  errors: Record<string, string>;
  onChange: (rules: RateLimitRuleValue[]) => void;
}

export function RateLimitRules({ rules, errors, onChange }: Props) {
  const set = (index: number, patch: Partial<RateLimitRuleValue>) =>
    onChange(rules.map((r, i) => (i === index ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>Rules</legend>
      <table class="rules">
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Applies to</th>
            <th scope="col">Max requests</th>
            <th scope="col">Per seconds</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => {
            const error = Object.entries(errors).find(([k]) => k.startsWith(`rules.${i}.`))?.[1];
            return (
              <tr key={i}>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} label`}
                    value={rule.label}
                    onInput={(e) => set(i, { label: e.currentTarget.value })}
                  />
                  {error && <p class="field-error">{error}</p>}
                </td>
                <td>
                  <select
                    aria-label={`Rule ${i + 1} audience`}
                    value={rule.audience}
                    onChange={(e) => set(i, { audience: e.currentTarget.value })}
                  >
                    <option value="">everyone</option>
                    <option value="@guest">guests</option>
                    <option value="@auth">signed-in callers</option>
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} max requests`}
                    type="number"
                    value={rule.maxRequests}
                    onInput={(e) => set(i, { maxRequests: Number(e.currentTarget.value) })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`Rule ${i + 1} seconds`}
                    type="number"
                    value={rule.duration}
                    onInput={(e) => set(i, { duration: Number(e.currentTarget.value) })}
                  />
                </td>
                <td>
                  <button type="button" class="danger" onClick={() => onChange(rules.filter((_, j) => j !== i))}>
                    Remove
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        onClick={() => onChange([...rules, { label: '', audience: '', duration: 60, maxRequests: 100 }])}
      >
        Add rule
      </button>
    </fieldset>
  );
}
