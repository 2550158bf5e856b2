/**
 * `npm run -s trace -- <command>`: the engine, headless.
 *   tokenize  --tokenizer NAME_OR_PATH [--json] [--text T | --file F] [--special match|plain] [--pair T]
 *   merges    --tokenizer NAME_OR_PATH [--json] [--text T | --file F]   (the BPE merge trace)
 *   train-bpe [--merges N] [--vocab-size V] [--min-frequency F] [--byte-level] [--json] [--text T | --file F]
 *   attention [--model tiny-gpt|tiny-bert|PATH|HUB_ID] [--json] [--text T | --ids 1,2,3 | --file F] [--record all|weights]
 *   predict   [--model …] [--temperature T] [--top-k K] [--top-p P]   (next-token / fill-mask predictions)
 *   mask-demo [--model tiny-bert|…] [--seed S]                        (BERT's 15% / 80-10-10 masking)
 *   trace "some text"   (shorthand for tokenize with the default tokenizer, gpt2)
 */
import { readFileSync, statSync } from 'node:fs';
import { resolveTokenizer } from '../engine/tokenizers/resolve';
import { trainBpe, MAX_TRAINING_CHARS } from '../engine/training/bpeTrainer';
import { attentionCommand } from './attention';
import { maskDemoCommand, predictCommand } from './predict';
import type { EncodeOptions } from '../engine/tokenizers/types';
import { parseArgs, ParsedArgs, UsageError } from './args';
import { bold, colourToken, dim, useColor, visible } from './terminal';

const COMMANDS = ['tokenize', 'merges', 'train-bpe', 'attention', 'predict', 'mask-demo', 'help'] as const;
const OPTIONS = {
  tokenizer: 'value', json: 'flag', text: 'value', file: 'value', special: 'value', pair: 'value',
  merges: 'value', 'vocab-size': 'value', 'min-frequency': 'value', 'byte-level': 'flag', help: 'flag', model: 'value', ids: 'value',
  record: 'value', top: 'value', kernels: 'value', temperature: 'value', 'top-k': 'value', 'top-p': 'value', seed: 'value',
} as const;
export const MAX_CLI_INPUT_BYTES = 64 * 1024 * 1024;
const USAGE = `usage: npm run -s trace -- <command> [options]
  tokenize   --tokenizer NAME_OR_PATH [--json] [--text T | --file F] [--special match|plain] [--pair T]
  merges     --tokenizer NAME_OR_PATH [--json] [--text T | --file F]
  train-bpe  [--merges N] [--vocab-size V] [--min-frequency F] [--byte-level] [--json] [--text T | --file F]
  attention  [--model MODEL] [--json] [--text T | --ids 1,2,3 | --file F] [--top K] [--record weights|all] [--kernels wasm|typescript]
             MODEL: tiny-gpt (default) or tiny-bert, bundled; or a folder with config.json + model.safetensors
             (GPT-2, BERT, DistilBERT) + tokenizer.json | vocab.json & merges.txt | vocab.txt;
             or a Hugging Face Hub id (gpt2, org/name, …@revision): from the Hugging Face cache, else downloaded into it
             environment: HF_ENDPOINT (mirror), HF_HUB_CACHE / HF_HOME, HF_TOKEN, HF_HUB_OFFLINE=1 (cache only)
  predict    [--model MODEL] [--json] [--text T | --file F] [--temperature T] [--top-k K] [--top-p P] [--top N]
             GPT: next-token probabilities before and after each warper; BERT: fill-mask top-N at each [MASK]
  mask-demo  [--model tiny-bert|MODEL] [--json] [--text T | --file F] [--seed S] [--top N]
             BERT's pre-training masking (15%; 80% [MASK], 10% random, 10% unchanged), token by token
  NAME: gpt2 (= r50k_base), p50k_base, cl100k_base, o200k_base, bert-base-uncased; PATH: a tokenizer.json or a folder holding one
  npm run trace -- "some text"   tokenizes with gpt2`;

export function inputText(args: ParsedArgs): string {
  const text = args.options.get('text');
  const file = args.options.get('file');
  if (typeof text === 'string' && typeof file === 'string') throw new UsageError('give --text or --file, not both');
  if (typeof text === 'string') return text;
  if (typeof file === 'string') {
    const size = statSync(file).size;
    if (size > MAX_CLI_INPUT_BYTES) throw new UsageError(`${file} is ${size} bytes; the CLI reads at most ${MAX_CLI_INPUT_BYTES}`);
    return readFileSync(file, 'utf8');
  }
  if (args.positionals.length > 0) return args.positionals.join(' ');
  throw new UsageError('no input: give --text "…", --file PATH or the text itself');
}

export function positiveInt(args: ParsedArgs, name: string): number | undefined {
  const v = args.options.get(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return n;
}

function encodeOptions(args: ParsedArgs): EncodeOptions {
  const special = args.options.get('special');
  if (special !== undefined && special !== 'match' && special !== 'plain') throw new UsageError('--special must be "match" or "plain"');
  const pair = args.options.get('pair');
  return { specialTokens: special as EncodeOptions['specialTokens'], pair: typeof pair === 'string' ? pair : undefined };
}

function tokenize(args: ParsedArgs, out: NodeJS.WriteStream): void {
  const name = (args.options.get('tokenizer') as string | undefined) ?? 'gpt2';
  const tok = resolveTokenizer(name);
  const text = inputText(args);
  const tokens = tok.encodeTokens(text, encodeOptions(args));
  if (args.options.has('json')) {
    out.write(JSON.stringify({
      tokenizer: tok.name, ids: tokens.map((t) => t.id),
      tokens: tokens.map((t) => ({ id: t.id, text: t.text, start: t.start, end: t.end, bytes: t.bytes, special: t.special, ...(t.typeId !== undefined ? { type_id: t.typeId } : {}) })),
      counts: { tokens: tokens.length, characters: [...text].length, bytes: new TextEncoder().encode(text).length },
    }) + '\n');
    return;
  }
  const color = useColor(out);
  out.write(`${bold(tok.name, color)}  ${tokens.length} tokens · ${[...text].length} characters · ${new TextEncoder().encode(text).length} bytes\n\n`);
  out.write(tokens.map((t, i) => colourToken(visible(t.special ? t.text : text.slice(t.start, t.end) || t.text), i, color)).join('') + '\n\n');
  for (const t of tokens) out.write(`${String(t.id).padStart(7)}  ${visible(t.text)}${t.special ? dim('  (special)', color) : ''}\n`);
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
  for (const w of result.segmentation) out.write(`  ${visible(w.word).padEnd(16)} ×${String(w.frequency).padEnd(4)} ${w.symbols.join(' ')}\n`);
}

export async function main(argv: string[], out = process.stdout, err = process.stderr): Promise<number> {
  try {
    const args = parseArgs(argv, COMMANDS, OPTIONS);
    if (args.options.has('help') || args.command === 'help') { out.write(USAGE + '\n'); return 0; }
    switch (args.command) {
      case 'tokenize': tokenize(args, out); break;
      case 'merges': merges(args, out); break;
      case 'train-bpe': trainCommand(args, out); break;
      case 'attention': await attentionCommand(args, out, err); break;
      case 'predict': await predictCommand(args, out, err); break;
      case 'mask-demo': await maskDemoCommand(args, out, err); break;
    }
    return 0;
  } catch (e) {
    err.write(`trace: ${(e as Error).message}\n`);
    if (e instanceof UsageError) err.write(USAGE + '\n');
    return e instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  // `trace … | head`: the reader closing the pipe ends the output, it is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); else throw e; });
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
