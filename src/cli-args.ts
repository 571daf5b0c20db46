// Parses the command line into a command and flags; knows nothing of what the commands do.

export class UsageError extends Error {}

export interface FlagSpec {
  name: string;
  env: string;
  value: string;
  help: string;
}

export interface ParsedArgs {
  command: string | undefined;
  /** Words after the command, e.g. `upsert EMAIL PASSWORD`; each command says how many it takes. */
  positionals: string[];
  flags: Map<string, string>;
  help: boolean;
}

/** Parses `satchel [command] [word]... [--flag=value | --flag value]... [-h|--help]`, refusing unknown flags. */
export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const known = new Set(specs.map((s) => s.name));
  // An on|off switch may stand alone (`--watch` is `--watch=on`); any other flag needs a value.
  const switches = new Set(specs.filter((s) => s.value === 'on|off').map((s) => s.name));
  const flags = new Map<string, string>();
  let command: string | undefined;
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') {
      help = true;
    } else if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq === -1 ? undefined : eq);
      if (!known.has(name)) throw new UsageError(`unknown flag --${name} (see --help)`);
      const bare = eq === -1 && switches.has(name) && (argv[i + 1] === undefined || argv[i + 1]!.startsWith('-'));
      const value = bare ? 'on' : eq === -1 ? argv[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '') throw new UsageError(`flag --${name} needs a value`);
      flags.set(name, value);
    } else if (command === undefined) {
      command = arg;
    } else {
      positionals.push(arg);
    }
  }
  return { command, positionals, flags, help };
}

/** A flag's value: the command line first, then its SATCHEL_* environment variable. */
export function flagValue(args: ParsedArgs, spec: FlagSpec, env: NodeJS.ProcessEnv): string | undefined {
  return args.flags.get(spec.name) ?? (env[spec.env] || undefined);
}

/** Splits `HOST:PORT` (IPv6 as `[::1]:PORT`); refuses anything else. */
export function parseHttpAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UsageError(`--http must be HOST:PORT, e.g. 127.0.0.1:8090 (got "${text}")`);
  return { host: (m[1] ?? m[2])!, port };
}
