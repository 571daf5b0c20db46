// Owns a Satchel server process that also measures its own event-loop delay: the same createApp + listen the
// CLI runs, plus perf_hooks' histogram, reset on "reset" and reported as JSON on "report" (IPC messages).
// Usage (from the runner, as a child process): node bench/eld-server.mjs --port=N --dir=D --collections=C
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createApp } from '../dist/index.js';
import { arg } from './cli-arg.mjs';

const app = await createApp({ dataDir: arg('dir'), collectionsDir: arg('collections'), rateLimit: false });
const server = await app.listen({ host: '127.0.0.1', port: Number(arg('port')) });
const histogram = monitorEventLoopDelay({ resolution: 1 });
histogram.enable();

process.on('message', (message) => {
  if (message === 'reset') histogram.reset();
  if (message === 'report') {
    const ms = (ns) => Math.round((ns / 1e6) * 100) / 100;
    process.send({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max) });
  }
});
process.on('SIGTERM', () => {
  void server
    .close()
    .then(() => app.close())
    .then(() => process.exit(0));
});
console.log(`ready ${server.url}`);
