// The signed-in frame: top bar with the sections and sign-out, the notice line, then the section's page.
import { pb } from './pb';
import { href } from './router';
import { useNotice, setNotice } from './notice';
import { CollectionsPage } from './pages/collections';
import { LogsPage } from './pages/logs';
import { SettingsPage } from './pages/settings';
import { BackupsPage } from './pages/backups';

const SECTIONS = [
  ['collections', 'Collections'],
  ['logs', 'Logs'],
  ['settings', 'Settings'],
  ['backups', 'Backups'],
] as const;

export function Shell({ route }: { route: string[] }) {
  const notice = useNotice();
  const section = SECTIONS.some(([name]) => name === route[0]) ? route[0] : 'collections';
  const rest = section === route[0] ? route.slice(1) : [];
  return (
    <div class="shell">
      <header class="topbar">
        <a class="brand" href={href('collections')}>
          Satchel
        </a>
        <nav aria-label="Sections">
          {SECTIONS.map(([name, label]) => (
            <a key={name} href={href(name)} aria-current={section === name ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <span class="who">{String(pb.authStore.record?.email ?? '')}</span>
        <button type="button" onClick={() => pb.authStore.clear()}>
          Sign out
        </button>
      </header>
      {notice && (
        <p class="notice ok" role="status">
          {notice}{' '}
          <button type="button" class="link" onClick={() => setNotice('')}>
            Dismiss
          </button>
        </p>
      )}
      {section === 'collections' && <CollectionsPage route={rest} />}
      {section === 'logs' && <LogsPage route={rest} />}
      {section === 'settings' && <SettingsPage route={rest} />}
      {section === 'backups' && <BackupsPage />}
    </div>
  );
}
