/**
 * Minimal argument parsing for the CLI: `--name value`, `--flag`, positionals.
 * Unknown options are an error that lists the known ones; so is an unknown command,
 * with a "did you mean" when it is a near miss.
 *
 * Telling a command from the shorthand `trace "some text"` (tokenize with gpt2):
 * - the first positional is a command name → that command;
 * - `--text` or `--file` is given → the input is there, so a leftover positional can only
 *   be a mistyped command (`trace attenton --model tiny-bert --text hi`);
 * - otherwise the positionals are the text, unless they are one word that is within
 *   editing distance of a command (`attenton`, `tokenise`) or the start of one (`train`,
 *   `mask`): that is an unknown command, and the message says how to tokenize it as text.
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
      // own keys only: `--constructor` or `--__proto__` must not find Object.prototype's members
      const kind = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : undefined;
      if (!kind) throw new UsageError(`unknown option --${name}${didYouMean(name, Object.keys(known), '--')} (known: ${Object.keys(known).map((k) => `--${k}`).join(', ')})`);
      if (kind === 'flag') options.set(name, true);
      else {
        const v = inline ?? argv[++i];
        if (v === undefined) throw new UsageError(`--${name} needs a value`);
        options.set(name, v);
      }
    } else positionals.push(a);
  }
  if (positionals.length > 0 && commands.includes(positionals[0])) {
    const command = positionals.shift()!;
    return { command, options, positionals };
  }
  const inputGiven = options.has('text') || options.has('file');
  if (positionals.length > 0 && (inputGiven || looksLikeCommand(positionals, commands))) {
    throw new UnknownCommandError(positionals[0], commands, inputGiven);
  }
  // `trace "some text"` is shorthand for `trace tokenize --text "some text"`
  return { command: 'tokenize', options, positionals };
}

/** A mistake in how the CLI was called: exit code 2; `showUsage` adds the usage text after the message. */
export class UsageError extends Error {
  constructor(message: string, readonly showUsage = true) { super(message); }
}

/** An unknown command: the CLI prints this message and the command list, and exits 2. */
export class UnknownCommandError extends UsageError {
  constructor(readonly word: string, commands: readonly string[], inputGiven: boolean) {
    super(`unknown command "${word}"${didYouMean(word, commands)}. Commands: ${commands.join(', ')}.`
      + (inputGiven ? '' : ` To tokenize the word itself: tokenize --text ${JSON.stringify(word)}`), false);
  }
}

/** One word (no whitespace) that is a near miss of a command, or the start (≥ 3 letters) of one. */
function looksLikeCommand(positionals: string[], commands: readonly string[]): boolean {
  if (positionals.length !== 1 || /\s/.test(positionals[0])) return false;
  const word = positionals[0].toLowerCase();
  return commands.some((c) => (word.length >= 3 && c.startsWith(word)) || editDistance(word, c) <= closeEnough(word));
}

/**
 * Edits allowed for a near miss: none up to 4 letters (`what`, `cat`, `less`, `lose` are one edit from
 * `chat`, `lens`, `loss`: words, not typos), 1 at 5, 2 from 6 (`attenton` → `attention` is 1,
 * `hello` → `help` is 2: text).
 */
function closeEnough(word: string): number {
  return word.length >= 6 ? 2 : word.length === 5 ? 1 : 0;
}

/** ` (did you mean "attention"?)` for the nearest name within reach, else empty. */
export function didYouMean(word: string, names: readonly string[], prefix = ''): string {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const n of names) {
    const d = n.startsWith(w) && w.length >= 3 ? 0.5 : editDistance(w, n);
    if (d < bestDistance) { best = n; bestDistance = d; }
  }
  return best !== undefined && bestDistance <= closeEnough(w) ? ` (did you mean "${prefix}${best}"?)` : '';
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit (optimal string
 * alignment): `attenton` → `attention` 1, `tokneize` → `tokenize` 1, `hello` → `help` 2.
 */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1, cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
