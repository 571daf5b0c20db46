// #/settings[/<section>]: the settings through pb.settings, one section at a time (application, mail, file
// storage, backups, rate limits, logs, proxy, batch), with a side list of the sections.
import { useEffect, useState } from 'preact/hooks';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { SETTINGS_GROUPS } from '../settings/groups';
import { SettingsForm } from '../settings/settings-form';

export function SettingsPage({ route }: { route: string[] }) {
  const [all, setAll] = useState<Record<string, unknown> | undefined>();
  const [error, setError] = useState('');
  const section = SETTINGS_GROUPS.find((g) => g.id === route[0]) ?? SETTINGS_GROUPS[0]!;

  useEffect(() => {
    pb.settings
      .getAll()
      .then(setAll)
      .catch((err: unknown) => setError(errorText(err)));
  }, []);

  return (
    <div class="with-sidebar">
      <nav class="sidebar" aria-label="Settings sections">
        <h2>Settings</h2>
        <ul class="collection-list">
          {SETTINGS_GROUPS.map((g) => (
            <li key={g.id}>
              <a href={href('settings', g.id)} aria-current={g === section ? 'page' : undefined}>
                {g.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main class="content narrow-content">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {all && (
          <SettingsForm
            key={section.id}
            section={section}
            values={(all[section.group] ?? {}) as Record<string, unknown>}
            overriddenBy={(all.overriddenBy ?? {}) as Record<string, string>}
            onSaved={setAll}
          />
        )}
      </main>
    </div>
  );
}
