// The one way the bench's server scripts read their `--name=value` flags. A module of its own, so that a baseline
// that is only node:http (the file baseline) reads its flags without loading Hono or valibot.

/** The value of `--name=value` on the command line, or undefined. */
export function arg(name) {
  const prefix = `--${name}=`;
  const found = process.argv.find((a) => a.startsWith(prefix));
  return found ? found.slice(prefix.length) : undefined;
}
