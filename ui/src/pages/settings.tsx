// #/settings[/<section>]: the settings through pb.settings, one section at a time (application, mail, file
// storage, backups, rate limits, logs, proxy, batch), and the scheduled jobs (#/settings/crons), with a side list.
import { useEffect, useState } from 'preact/hooks';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { SETTINGS_GROUPS } from '../settings/groups';
import { SettingsForm } from '../settings/settings-form';
import { CronsPanel } from '../settings/crons-panel';

export function SettingsPage({ route }: { route: string[] }) {
  const [all, setAll] = useState<Record<string, unknown> | undefined>();
  const [error, setError] = useState('');
  const crons = route[0] === 'crons';
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
              <a href={href('settings', g.id)} aria-current={!crons && g === section ? 'page' : undefined}>
                {g.title}
              </a>
            </li>
          ))}
          <li>
            <a href={href('settings', 'crons')} aria-current={crons ? 'page' : undefined}>
              Scheduled jobs
            </a>
          </li>
        </ul>
      </nav>
      <main class="content narrow-content">
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        {crons && <CronsPanel />}
        {all && !crons && (
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
