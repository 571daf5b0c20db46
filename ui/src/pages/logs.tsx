// #/logs[/<id>]: request logs, newest first, with a filter in the filter language and one entry's details.
import { Pager } from '../components/pager';
import { useEffect, useState } from 'preact/hooks';
import type { ListResult, LogModel } from 'pocketbase';
import { errorText, pb } from '../pb';
import { href } from '../router';
import { RequestsChart } from '../logs/requests-chart';

const PER_PAGE = 50;

export function LogsPage({ route }: { route: string[] }) {
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState('');
  const [draft, setDraft] = useState('');
  const [result, setResult] = useState<ListResult<LogModel> | undefined>();
  const [error, setError] = useState('');
  const [id] = route;

  useEffect(() => {
    let current = true;
    pb.logs
      .getList(page, PER_PAGE, { sort: '-created', filter: filter || undefined })
      .then((list) => current && (setResult(list), setError('')))
      .catch((err: unknown) => current && setError(errorText(err)));
    return () => {
      current = false;
    };
  }, [page, filter]);

  return (
    <div class="with-sidebar wide-main">
      <main class="content">
        <h1>Logs</h1>
        <form
          class="filter"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter(draft.trim());
            setPage(1);
          }}
        >
          <label for="logs-filter">Filter</label>
          <input
            id="logs-filter"
            type="search"
            placeholder="e.g. data.status >= 400 || level > 0"
            value={draft}
            onInput={(e) => setDraft(e.currentTarget.value)}
          />
          <button type="submit">Search</button>
        </form>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <RequestsChart filter={filter} />
        <div class="table-wrap">
          <table class="records">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Level</th>
                <th scope="col">Message</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {result?.items.map((log) => (
                <tr key={log.id}>
                  <td>
                    <a href={href('logs', log.id)}>{log.created}</a>
                  </td>
                  <td>{log.level}</td>
                  <td>{log.message}</td>
                  <td>{String((log.data as Record<string, unknown>)?.status ?? '')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {result && result.items.length === 0 && <p class="empty">No logs.</p>}
        </div>
        {result && (
          <Pager
            page={result.page}
            totalPages={result.totalPages}
            totalItems={result.totalItems}
            noun="entries"
            onPage={setPage}
          />
        )}
      </main>
      {id && <LogDetail key={id} id={id} />}
    </div>
  );
}

function LogDetail({ id }: { id: string }) {
  const [log, setLog] = useState<LogModel | undefined>();
  const [error, setError] = useState('');
  useEffect(() => {
    pb.logs
      .getOne(id)
      .then(setLog)
      .catch((err: unknown) => setError(errorText(err)));
  }, [id]);
  return (
    <aside class="panel" aria-labelledby="log-heading">
      <div class="toolbar">
        <h2 id="log-heading">Log entry</h2>
        <a href={href('logs')}>Close</a>
      </div>
      {error && <p class="error">{error}</p>}
      {log && (
        <dl>
          <dt>id</dt>
          <dd>{log.id}</dd>
          <dt>created</dt>
          <dd>{log.created}</dd>
          <dt>level</dt>
          <dd>{log.level}</dd>
          <dt>message</dt>
          <dd>{log.message}</dd>
          <dt>data</dt>
          <dd>
            <pre>{JSON.stringify(log.data, null, 2)}</pre>
          </dd>
        </dl>
      )}
    </aside>
  );
}
