// Loaded into a server under test with `--expose-gc --require`: on SIGUSR2 it collects garbage and prints the
// live heap, so a test can tell memory still in use from memory the collector has not reclaimed yet.
process.on('SIGUSR2', () => {
  global.gc();
  const { heapUsed, rss } = process.memoryUsage();
  process.stderr.write(`heap-probe ${heapUsed} ${rss}\n`);
});
