/**
 * `npm run -s trace -- <command>`: the engine, headless.
 *   tokenize  --tokenizer NAME_OR_PATH [--json] [--text T | --file F] [--special match|plain] [--pair T] [--all]
 *   merges    --tokenizer NAME_OR_PATH [--json] [--text T | --file F]   (the BPE merge trace)
 *   train-bpe [--merges N] [--vocab-size V] [--min-frequency F] [--byte-level] [--json] [--text T | --file F]
 *   attention [--model tiny-gpt|tiny-bert|PATH|HUB_ID] [--json] [--text T | --ids 1,2,3 | --file F] [--record all|weights]
 *   predict   [--model …] [--temperature T] [--top-k K] [--top-p P]   (next-token / fill-mask predictions)
 *   mask-demo [--model tiny-bert|…] [--seed S]                        (BERT's 15% / 80-10-10 masking)
 *   trace "some text"   (shorthand for tokenize with the default tokenizer, gpt2; see args.ts for
 *                        how a mistyped command is told from text)
 * Usage errors (bad options, unknown commands, unreadable files) exit 2, failures 1.
 */
import { readFileSync, statSync } from 'node:fs';
import { resolveTokenizer } from '../engine/tokenizers/resolve';
import { trainBpe, MAX_TRAINING_CHARS } from '../engine/training/bpeTrainer';
import { attentionCommand } from './attention';
import { maskDemoCommand, predictCommand } from './predict';
import type { EncodeOptions, Token, Tokenizer } from '../engine/tokenizers/types';
import { parseArgs, ParsedArgs, UnknownCommandError, UsageError } from './args';
import { bold, colourToken, dim, legend, useColor } from './terminal';
import { hasMarkers, markWhitespace, readableTokenText, usesWhitespaceStandIn } from '../shared/visibleText';
import { TiktokenTokenizer } from '../engine/tokenizers/tiktoken';
import { ModelTooLargeError } from '../engine/hub/downloadEstimate';
import { generateCommand } from './generate';
import { lensCommand, lossCommand } from './lens';
import { compareCommand } from './compare';
import { chatCommand } from './chat';

const COMMANDS = ['tokenize', 'compare', 'chat', 'merges', 'train-bpe', 'attention', 'predict', 'generate', 'lens', 'loss', 'mask-demo', 'help'] as const;
const OPTIONS = {
  tokenizer: 'value', json: 'flag', text: 'value', file: 'value', special: 'value', pair: 'value', all: 'flag',
  merges: 'value', 'vocab-size': 'value', 'min-frequency': 'value', 'byte-level': 'flag', help: 'flag', model: 'value', ids: 'value',
  record: 'value', top: 'value', kernels: 'value', temperature: 'value', 'top-k': 'value', 'top-p': 'value', seed: 'value', yes: 'flag',
  tokenizers: 'value', messages: 'value', 'no-generation-prompt': 'flag', 'generic-template': 'flag',
  'max-new-tokens': 'value', greedy: 'flag', stop: 'value', 'repetition-penalty': 'value', target: 'value', 'decoder-ids': 'value',
} as const;
export const MAX_CLI_INPUT_BYTES = 64 * 1024 * 1024;
/** Tokens the terminal view of `tokenize` lists before it stops and says how many more there are. */
export const TERMINAL_TOKEN_LIMIT = 200;
const USAGE = `usage: npm run -s trace -- <command> [options]
  tokenize   --tokenizer NAME_OR_PATH [--json] [--text T | --file F] [--pair T] [--special match|plain] [--all]
             the first ${TERMINAL_TOKEN_LIMIT} tokens and the counts; --all lists every token, --json gives all of them
  compare    --tokenizers NAME,NAME[,…] [--json] [--text T | --file F]
             2 to 8 tokenizers side by side: counts, characters and bytes per token, boundaries aligned, shared or not
  chat       --tokenizer DIR_OR_ID (--messages FILE.json | --text T) [--no-generation-prompt] [--generic-template] [--json]
             the chat template rendered (special tokens highlighted), its ids and count; FILE: [{"role", "content"}, …]
  merges     --tokenizer NAME_OR_PATH [--json] [--text T | --file F]
  train-bpe  [--merges N] [--vocab-size V] [--min-frequency F] [--byte-level] [--json] [--text T | --file F]
  attention  [--model MODEL] [--json] [--text T | --ids 1,2,3 | --file F] [--top K] [--record weights|all] [--kernels wasm|typescript]
             encoder–decoders (T5, BART, Marian): the text is the source; [--target TGT | --decoder-ids 0,5,6] the decoder input
             (default: the start token); --json gives encoder_attentions, decoder_attentions, cross_attentions [L][H][rows][keys]
             MODEL: tiny-gpt (default) or tiny-bert, bundled; or a folder with config.json + model.safetensors
             (GPT-2, BERT, DistilBERT, Llama, Mistral, Qwen2, Qwen3, Gemma 3, T5, BART, mBART, Marian) + tokenizer.json | vocab.json & merges.txt | vocab.txt;
             or a Hugging Face Hub id (gpt2, org/name, …@revision): from the Hugging Face cache, else downloaded into it
             environment: HF_ENDPOINT (mirror), HF_HUB_CACHE / HF_HOME, HF_TOKEN, HF_HUB_OFFLINE=1 (cache only)
             downloads over 1 GB print the size and memory estimate and ask first (--yes: do not ask);
             models that cannot fit (the engine's 8 GiB of float32, or this machine's memory) are refused before downloading
  predict    [--model MODEL] [--json] [--text T | --file F] [--temperature T] [--top-k K] [--top-p P] [--top N]
             GPT: next-token probabilities before and after each warper; BERT: fill-mask top-N at each [MASK]
  generate   [--model MODEL] [--json] (--text T | --ids 1,2,3 | --file F) [--max-new-tokens N (32)]
             [--greedy (default) | --temperature T --top-k K --top-p P --seed S] [--stop STRING] [--repetition-penalty P]
             continues the prompt token by token with the KV cache (GPT-2, Llama, Mistral, Qwen2/3, Gemma 3);
             encoder–decoders (T5, BART, Marian) read the prompt as the source and write the target
  lens       [--model MODEL] [--json] (--text T | --ids 1,2,3 | --file F) [--top K (5)]
             the logit lens: each layer's residual stream through the final norm and LM head, top-K per position
  loss       [--model MODEL] [--json] (--text T | --ids 1,2,3 | --file F)
             per-token loss: −log p(token | before) in nats, its rank, perplexity (GLTR colours on a terminal)
  mask-demo  [--model tiny-bert|MODEL] [--json] [--text T | --file F] [--seed S] [--top N]
             BERT's pre-training masking (15%; 80% [MASK], 10% random, 10% unchanged), token by token
  help       this text
  NAME: gpt2 (= r50k_base), p50k_base, cl100k_base, o200k_base, bert-base-uncased; PATH: a tokenizer.json or a folder holding one
  npm run trace -- "some text"   tokenizes with gpt2 (one word that is close to a command name is taken as a mistyped command)`;

/** `--file PATH` read as UTF-8, or a one-line error naming the file and what is wrong with it. */
function readInputFile(file: string): string {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new UsageError(`--file ${file}: is a folder, not a file`, false);
    if (!st.isFile()) throw new UsageError(`--file ${file}: is not a regular file`, false);
    size = st.size;
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`--file ${file}: ${fileProblem(e as NodeJS.ErrnoException)}`, false);
  }
  if (size > MAX_CLI_INPUT_BYTES) throw new UsageError(`--file ${file}: is ${size} bytes; the CLI reads at most ${MAX_CLI_INPUT_BYTES}`, false);
  let bytes: Buffer;
  try { bytes = readFileSync(file); } catch (e) { throw new UsageError(`--file ${file}: ${fileProblem(e as NodeJS.ErrnoException)}`, false); }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UsageError(`--file ${file}: is not UTF-8 text`, false);
  }
}

function fileProblem(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied (not readable)';
    case 'EISDIR': return 'is a folder, not a file';
    case 'ENOTDIR': return 'a part of the path is not a folder';
    case 'ELOOP': return 'too many symbolic links';
    default: return `cannot be read (${e.code ?? e.message})`;
  }
}

export function inputText(args: ParsedArgs): string {
  const text = args.options.get('text');
  const file = args.options.get('file');
  if (typeof text === 'string' && typeof file === 'string') throw new UsageError('give --text or --file, not both');
  if ((typeof text === 'string' || typeof file === 'string') && args.positionals.length > 0) {
    throw new UsageError(`unexpected argument ${JSON.stringify(args.positionals[0])}: the input is already given by --${typeof text === 'string' ? 'text' : 'file'}`);
  }
  if (typeof text === 'string') return text;
  if (typeof file === 'string') return readInputFile(file);
  if (args.positionals.length > 0) return args.positionals.join(' ');
  throw new UsageError('no input: give --text "…", --file PATH or the text itself');
}

export function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const v = args.options.get(name);
  if (v === undefined) return undefined;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN; // Number('') is 0: an empty value is no count
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function encodeOptions(args: ParsedArgs): EncodeOptions {
  const special = args.options.get('special');
  if (special !== undefined && special !== 'match' && special !== 'plain') throw new UsageError('--special must be "match" or "plain"');
  const pair = args.options.get('pair');
  return { specialTokens: special as EncodeOptions['specialTokens'], pair: typeof pair === 'string' ? pair : undefined };
}

/** Characters (code points) and UTF-8 bytes of a text, without building an array of its characters. */
function measure(text: string): { characters: number; bytes: number } {
  let characters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || (text.charCodeAt(i - 1) & 0xfc00) !== 0xd800) characters++;
  }
  return { characters, bytes: Buffer.byteLength(text, 'utf8') };
}

/**
 * Output in chunks of about 64 KB: `--json` and `--all` write as they go, so a 5 MB input's
 * 1.6 M tokens are never one string (writes to a file or pipe are synchronous on Linux).
 */
class ChunkedWriter {
  private buffer = '';
  constructor(private readonly out: NodeJS.WritableStream) {}
  write(s: string): void {
    this.buffer += s;
    if (this.buffer.length >= 65536) this.flush();
  }
  flush(): void {
    if (this.buffer) this.out.write(this.buffer);
    this.buffer = '';
  }
}

/** The text a token's offsets point into: the pair's text for the second sequence. */
function sourceOf(t: Token, text: string, pair: string | undefined): string {
  return t.sequence === 1 && pair !== undefined ? pair : text;
}

function tokenJson(t: Token): string {
  return JSON.stringify({ id: t.id, text: t.text, start: t.start, end: t.end, bytes: t.bytes, special: t.special, ...(t.typeId !== undefined ? { type_id: t.typeId } : {}), ...(t.sequence !== undefined ? { sequence: t.sequence } : {}) });
}

function tokenize(args: ParsedArgs, out: NodeJS.WriteStream): void {
  const name = (args.options.get('tokenizer') as string | undefined) ?? 'gpt2';
  const tok = resolveTokenizer(name);
  const text = inputText(args);
  const options = encodeOptions(args);
  if (options.pair !== undefined && tok instanceof TiktokenTokenizer) throw new UsageError(`--pair: ${tok.name} encodes one text at a time; sentence pairs need a tokenizer with a pair template (bert-base-uncased, or a tokenizer.json whose post-processor has one)`, false);
  const a = measure(text);
  const b = options.pair !== undefined ? measure(options.pair) : { characters: 0, bytes: 0 };
  const counts = { characters: a.characters + b.characters, bytes: a.bytes + b.bytes };
  if (args.options.has('json')) { tokenizeJson(tok, text, options, counts, out); return; }

  const all = args.options.has('all');
  // --all: count first (ids only), then list while encoding; otherwise keep the first tokens and count the rest
  const total = all ? countTokens(tok, text, options) : undefined;
  const shown: Token[] = [];
  let count = 0;
  const w = new ChunkedWriter(out);
  const color = useColor(out);
  const header = (n: number) => `${bold(tok.name, color)}  ${n.toLocaleString('en-US')} ${n === 1 ? 'token' : 'tokens'} · ${counts.characters.toLocaleString('en-US')} characters · ${counts.bytes.toLocaleString('en-US')} bytes${options.pair !== undefined ? ' (text and pair)' : ''}\n\n`;
  const readable = (t: Token) => readableTokenText(t, sourceOf(t, text, options.pair).slice(t.start, t.end), tok.kind === 'byte-bpe');
  let needsLegend = false;
  let width = 16; // the readable column; the vocabulary's spelling follows it where it differs
  const row = (t: Token) => {
    const r = readable(t);
    if (usesWhitespaceStandIn(t.text) || t.text.startsWith('##') || hasMarkers(r)) needsLegend = true;
    const spelling = r !== t.text ? `  ${dim(t.text, color)}` : '';
    return `${String(t.id).padStart(7)}  ${spelling ? r.padEnd(width) : r}${spelling}${t.special ? dim('  (special)', color) : ''}\n`;
  };
  if (all) {
    w.write(header(total!));
    for (const t of tok.tokenStream(text, options)) { w.write(row(t)); count++; }
  } else {
    for (const t of tok.tokenStream(text, options)) { if (count < TERMINAL_TOKEN_LIMIT) shown.push(t); count++; }
    w.write(header(count));
    // the tokens side by side as the text reads, a line break after each newline
    w.write(shown.map((t, i) => {
      const chip = colourToken(readable(t), i, color);
      return sourceOf(t, text, options.pair).slice(t.start, t.end).endsWith('\n') && !t.special ? `${chip}\n` : chip;
    }).join('') + '\n\n');
    width = Math.min(24, Math.max(0, ...shown.map((t) => readable(t).length)));
    for (const t of shown) w.write(row(t));
    if (count > shown.length) w.write(`\n… ${(count - shown.length).toLocaleString('en-US')} more tokens: --all lists every one, --json gives all of them as JSON\n`);
  }
  if (needsLegend) w.write('\n' + legend(color));
  w.flush();
}

function countTokens(tok: Tokenizer, text: string, options: EncodeOptions): number {
  let n = 0;
  for (const _ of tok.tokenStream(text, options)) n++;
  return n;
}

/**
 * `tokenize --json`, streamed: the ids (a first pass over tokenStream, keeping only
 * numbers), then each token as it is made, then the counts. Two passes, because `ids`
 * comes first in the JSON and encode() may build every Token at once.
 */
function tokenizeJson(tok: Tokenizer, text: string, options: EncodeOptions, counts: { characters: number; bytes: number }, out: NodeJS.WriteStream): void {
  const w = new ChunkedWriter(out);
  let ids = new Int32Array(1 << 16); // grown by half again: 2 M ids as numbers in an array were 16–24 MB of the peak
  let count = 0;
  for (const t of tok.tokenStream(text, options)) {
    if (count === ids.length) { const more = new Int32Array(Math.ceil(ids.length * 1.5)); more.set(ids); ids = more; }
    ids[count++] = t.id;
  }
  w.write(`{"tokenizer":${JSON.stringify(tok.name)},"ids":[`);
  for (let i = 0; i < count; i++) w.write(i === 0 ? String(ids[i]) : `,${ids[i]}`);
  w.write('],"tokens":[');
  let n = 0;
  for (const t of tok.tokenStream(text, options)) w.write((n++ === 0 ? '' : ',') + tokenJson(t));
  w.write(`],"counts":${JSON.stringify({ tokens: count, ...counts })}}\n`);
  w.flush();
}

function merges(args: ParsedArgs, out: NodeJS.WriteStream): void {
  const tok = resolveTokenizer((args.options.get('tokenizer') as string | undefined) ?? 'gpt2');
  const trace = tok.encodeWithTrace(inputText(args), encodeOptions(args));
  if (args.options.has('json')) { out.write(JSON.stringify(trace) + '\n'); return; }
  const color = useColor(out);
  for (const s of trace.stages) out.write(`${bold(s.stage.padEnd(13), color)} ${s.name}${s.detail ? dim(`  ${s.detail}`, color) : ''}\n`);
  for (const p of trace.pieces) {
    out.write(`\n${bold(JSON.stringify(p.text), color)}${p.special ? '  special token' : ''}\n`);
    if (p.initial) out.write(`  start   ${p.initial.join(' ')}\n`);
    for (const [i, m] of (p.merges ?? []).entries()) out.write(`  ${String(i + 1).padStart(3)}.  ${m.left} + ${m.right} → ${m.merged}   ${dim(`rank ${m.rank}`, color)}\n`);
    for (const a of p.attempts ?? []) out.write(`  ${a.found ? '✓' : '·'} ${a.candidate}\n`);
    out.write(`  ids     ${p.tokenIds.join(' ')}\n`);
  }
  if (trace.pieces.some((p) => [...(p.initial ?? []), ...(p.attempts ?? []).map((a) => a.candidate)].some(usesWhitespaceStandIn) || p.attempts?.some((a) => a.candidate.startsWith('##')))) out.write('\n' + legend(color));
}

function trainCommand(args: ParsedArgs, out: NodeJS.WriteStream): void {
  const text = inputText(args);
  if (text.length > MAX_TRAINING_CHARS) throw new UsageError(`train-bpe takes at most ${MAX_TRAINING_CHARS} characters; got ${text.length}`);
  const result = trainBpe(text, {
    mode: args.options.has('byte-level') ? 'byte-level' : 'classic',
    merges: positiveInt(args, 'merges'), vocabSize: positiveInt(args, 'vocab-size'), minFrequency: positiveInt(args, 'min-frequency'),
  });
  if (args.options.has('json')) {
    out.write(JSON.stringify({
      mode: result.mode,
      merges: result.merges.map((m) => ({ pair: m.pair, merged: m.merged, frequency: m.frequency, vocab_size: m.vocabSize })),
      segmentation: result.segmentation.map((w) => ({ word: w.word, frequency: w.frequency, symbols: w.symbols })),
      vocab: result.vocab, stopped_because: result.stoppedBecause,
    }) + '\n');
    return;
  }
  const color = useColor(out);
  out.write(`${bold(`BPE training (${result.mode})`, color)}: ${result.initialVocab.length} initial symbols, ${result.merges.length} merges; stopped: ${result.stoppedBecause}\n\n`);
  for (const m of result.merges) out.write(`${String(m.round).padStart(4)}.  ${m.pair[0]} + ${m.pair[1]} → ${bold(m.merged, color)}  ${dim(`×${m.frequency}  vocab ${m.vocabSize}`, color)}\n`);
  out.write(`\n${bold('segmentation', color)}\n`);
  for (const w of result.segmentation) out.write(`  ${markWhitespace(w.word).padEnd(16)} ×${String(w.frequency).padEnd(4)} ${w.symbols.join(' ')}\n`);
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  try {
    const args = parseArgs(argv, COMMANDS, OPTIONS);
    if (args.options.has('help') || args.command === 'help') { out.write(USAGE + '\n'); return 0; }
    switch (args.command) {
      case 'tokenize': tokenize(args, out); break;
      case 'compare': await compareCommand(args, out, err); break;
      case 'chat': await chatCommand(args, out, err); break;
      case 'merges': merges(args, out); break;
      case 'train-bpe': trainCommand(args, out); break;
      case 'attention': await attentionCommand(args, out, err); break;
      case 'predict': await predictCommand(args, out, err); break;
      case 'generate': await generateCommand(args, out, err); break;
      case 'lens': await lensCommand(args, out, err); break;
      case 'loss': await lossCommand(args, out, err); break;
      case 'mask-demo': await maskDemoCommand(args, out, err); break;
    }
    return 0;
  } catch (e) {
    err.write(`trace: ${(e as Error).message}\n`);
    if (e instanceof UnknownCommandError) err.write('Options of each command: npm run -s trace -- help\n');
    else if (e instanceof UsageError && e.showUsage) err.write(USAGE + '\n');
    // a model too large for this machine is refused like an input over a limit: exit 2
    return e instanceof UsageError || e instanceof ModelTooLargeError ? 2 : 1;
  }
}

if (require.main === module) {
  // `trace … | head`: the reader closing the pipe ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
