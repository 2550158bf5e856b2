/**
 * Minimal argument parsing for the CLI: `--name value`, `--flag`, positionals.
 * Unknown options are an error that lists the known ones.
 */

export interface ParsedArgs {
  command: string;
  options: Map<string, string | true>;
  positionals: string[];
}

export function parseArgs(argv: string[], commands: readonly string[], known: Record<string, 'value' | 'flag'>): ParsedArgs {
  const options = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      const kind = known[name];
      if (!kind) throw new UsageError(`unknown option --${name} (known: ${Object.keys(known).map((k) => `--${k}`).join(', ')})`);
      if (kind === 'flag') options.set(name, true);
      else {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, v);
      }
    } else positionals.push(a);
  }
  // `trace "some text"` is shorthand for `trace tokenize --text "some text"`
  const command = positionals.length > 0 && commands.includes(positionals[0]) ? positionals.shift()! : 'tokenize';
  return { command, options, positionals };
}

export class UsageError extends Error {}
