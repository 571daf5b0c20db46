// Settings > Scheduled jobs: the cron jobs the server runs (its own and those extensions add), each with its
// schedule and a button that runs it now (pb.crons).
import { useEffect, useState } from 'preact/hooks';
import { errorText, pb } from '../pb';

/** A job as GET /api/crons lists it (the SDK does not export its type). */
interface CronJob {
  id: string;
  expression: string;
}

export function CronsPanel() {
  const [jobs, setJobs] = useState<CronJob[] | undefined>();
  const [status, setStatus] = useState({ kind: '', text: '' });
  const [running, setRunning] = useState('');

  useEffect(() => {
    pb.crons
      .getFullList()
      .then(setJobs)
      .catch((err: unknown) => setStatus({ kind: 'error', text: errorText(err) }));
  }, []);

  async function run(id: string) {
    setRunning(id);
    setStatus({ kind: '', text: `Running ${id}...` });
    try {
      await pb.crons.run(id);
      setStatus({ kind: 'ok', text: `Ran ${id}.` });
    } catch (err) {
      setStatus({ kind: 'error', text: `${id} failed: ${errorText(err)}` });
    } finally {
      setRunning('');
    }
  }

  return (
    <section aria-labelledby="crons-heading">
      <h2 id="crons-heading">Scheduled jobs</h2>
      {jobs && jobs.length === 0 && <p>No scheduled jobs.</p>}
      {jobs && jobs.length > 0 && (
        <table class="records">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">Schedule</th>
              <th scope="col">
                <span class="visually-hidden">Run</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <tr key={job.id}>
                <td>{job.id}</td>
                <td>
                  <code>{job.expression}</code>
                </td>
                <td>
                  <button
                    type="button"
                    aria-label={`Run ${job.id} now`}
                    disabled={running !== ''}
                    onClick={() => void run(job.id)}
                  >
                    Run now
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class={status.kind} role="status">
        {status.text}
      </p>
    </section>
  );
}
