// Owns load generation: one bounded autocannon run against a loopback URL, reduced to the numbers the report uses.
// Runs inside the runner process, never inside a server process.
import autocannon from 'autocannon';

/**
 * Drives `url` with autocannon and resolves with a summary.
 * Either `seconds` (a timed run) or `amount` (exactly that many requests) bounds the run; `hardLimitSeconds`
 * stops it regardless, so nothing here can run forever.
 *
 * Options: { url, method='GET', body (string; each [<id>] tag is replaced by a unique value per request), rawBody (a Buffer sent as is, with contentType), seconds, amount, connections=50, rate (req/s, optional), hardLimitSeconds }
 */
export function runLoad({
  url,
  method = 'GET',
  body,
  rawBody,
  contentType,
  seconds = 10,
  amount,
  connections = 50,
  rate,
  hardLimitSeconds,
}) {
  const opts = {
    url,
    method,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount ? { amount } : { duration: seconds }),
    // A fixed request rate (requests per second over all connections) instead of as fast as the server answers.
    ...(rate ? { overallRate: rate } : {}),
    ...(body !== undefined ? bodyOptions(body) : {}),
    // Bytes sent as they are (an upload), with their own content type.
    ...(rawBody !== undefined ? { body: rawBody, headers: { 'content-type': contentType } } : {}),
  };
  const limit = (hardLimitSeconds ?? (amount ? 300 : seconds * 3 + 30)) * 1000;
  return new Promise((resolve, reject) => {
    let timer;
    const instance = autocannon(opts, (err, result) => {
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(summarize(result));
    });
    instance.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    timer = setTimeout(() => instance.stop(), limit);
  });
}

let sequence = 0;

/**
 * Request options for a body. A `[<id>]` tag becomes a fresh value per request via setupRequest, which makes
 * autocannon rebuild the request and compute Content-Length from the real body. (autocannon's own idReplacement
 * guesses the id's length and gets Content-Length wrong with hyperid 3.x, so servers wait for missing bytes.)
 */
function bodyOptions(body) {
  const headers = { 'content-type': 'application/json' };
  if (!body.includes('[<id>]')) return { body, headers };
  const salt = Math.random().toString(36).slice(2, 8);
  return {
    headers,
    requests: [
      {
        setupRequest: (req) => ({ ...req, body: body.replaceAll('[<id>]', `${salt}-${(sequence++).toString(36)}`) }),
      },
    ],
  };
}

function summarize(r) {
  return {
    reqPerSec: r.requests.average,
    reqPerSecStddev: r.requests.stddev,
    totalRequests: r.requests.total,
    durationSec: r.duration,
    latencyMeanMs: r.latency.average,
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    latencyMaxMs: r.latency.max,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}
