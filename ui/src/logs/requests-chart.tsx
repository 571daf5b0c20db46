// Requests per hour over the kept logs (pb.logs.getStats with the same filter as the list), as bars.
import { useEffect, useState } from 'preact/hooks';
import { errorText, pb } from '../pb';

interface Point {
  total: number;
  date: string;
}

const WIDTH = 800;
const HEIGHT = 120;

export function RequestsChart({ filter }: { filter: string }) {
  const [points, setPoints] = useState<Point[] | undefined>();
  const [error, setError] = useState('');

  useEffect(() => {
    let current = true;
    pb.logs
      .getStats({ filter: filter || undefined })
      .then((stats) => current && (setPoints(stats as Point[]), setError('')))
      .catch((err: unknown) => current && setError(errorText(err)));
    return () => {
      current = false;
    };
  }, [filter]);

  if (error) return <p class="error">{error}</p>;
  if (!points) return null;
  if (!points.length) return <p class="empty">No requests in the kept logs{filter ? ' match the filter' : ''}.</p>;
  const max = Math.max(...points.map((p) => p.total));
  const total = points.reduce((sum, p) => sum + p.total, 0);
  const step = WIDTH / points.length;
  const first = points[0]!.date.slice(0, 16);
  const last = points.at(-1)!.date.slice(0, 16);
  return (
    <figure class="requests-chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Requests per hour: ${total} in ${points.length} hour(s), at most ${max} in one hour`}
      >
        {points.map((p, i) => {
          const h = Math.max(1, (p.total / max) * (HEIGHT - 4));
          return (
            <rect key={p.date} x={i * step + 1} y={HEIGHT - h} width={Math.max(1, step - 2)} height={h}>
              <title>{`${p.date.slice(0, 16)}: ${p.total}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        {total} requests from {first} to {last} (UTC), at most {max} per hour
      </figcaption>
    </figure>
  );
}
