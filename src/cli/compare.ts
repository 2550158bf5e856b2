/**
 * `trace compare --tokenizers gpt2,cl100k_base,o200k_base,path/to/tokenizer.json --text …`:
 * one text through several tokenizers (src/engine/tokenizers/compare.ts). The terminal view
 * gives each one's counts, then the text once per tokenizer with a bar where it cuts, every
 * row aligned on the same characters, and `^` under the boundaries not all of them share.
 * `--json`: {"text": {"characters", "bytes", "utf16"}, "tokenizers": [{"name", "kind",
 * "vocab_size", "ids", "tokens", "counts"}], "boundaries": {"shared", "differing":
 * [{"offset", "tokenizers"}]}, "summary"}; each `ids` is what `tokenize --json` gives.
 */
import { compareTokenizers, MAX_COMPARED, MIN_COMPARED, type ComparisonResult } from '../engine/tokenizers/compare';
import type { Token } from '../engine/tokenizers/types';
import { markWhitespace } from '../shared/visibleText';
import type { ParsedArgs } from './args';
import { UsageError } from './args';
import { inputText } from './main';
import { fetchHubTokenizers } from '../engine/hub/hubTokenizer';
import { hubSettingsFromEnv } from '../engine/hub/hubModel';
import { bold, dim, useColor } from './terminal';

/** The aligned rows cover this many UTF-16 units of the text; counts and --json cover all of it. */
export const COMPARE_TERMINAL_CHARS = 2000;
const LINE_WIDTH = 100;

export async function compareCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const list = args.options.get('tokenizers');
  if (typeof list !== 'string') throw new UsageError(`compare needs --tokenizers NAME,NAME[,…] (${MIN_COMPARED} to ${MAX_COMPARED}: built-ins, tokenizer.json files, folders, Hub ids)`);
  const specs = list.split(',').map((s) => s.trim());
  if (specs.some((s) => !s)) throw new UsageError(`--tokenizers ${JSON.stringify(list)}: an empty name between commas`);
  if (specs.length < MIN_COMPARED || specs.length > MAX_COMPARED) throw new UsageError(`--tokenizers: compare takes ${MIN_COMPARED} to ${MAX_COMPARED} tokenizers, got ${specs.length}`);
  const text = inputText(args);
  for (const id of await fetchHubTokenizers(specs, hubSettingsFromEnv())) err.write(`trace: fetched ${id}'s tokenizer (tokenizer.json, tokenizer_config.json) into the Hugging Face cache\n`);
  const r = compareTokenizers(specs, text);
  if (args.options.has('json')) { out.write(comparisonJson(r, text) + '\n'); return; }
  writeComparison(r, text, out);
}

/** A token as `tokenize --json` writes it (type_id where the post-processor gives one). */
function tokenJson(t: Token) {
  return { id: t.id, text: t.text, start: t.start, end: t.end, bytes: t.bytes, special: t.special, ...(t.typeId !== undefined ? { type_id: t.typeId } : {}) };
}

export function comparisonJson(r: ComparisonResult, text: string): string {
  return JSON.stringify({
    text: { characters: r.characters, bytes: r.bytes, utf16: text.length },
    tokenizers: r.tokenizers.map((t) => ({
      name: t.name, kind: t.kind, vocab_size: t.vocabSize, ids: t.ids, tokens: t.tokens.map(tokenJson),
      counts: { tokens: t.ids.length, characters_per_token: round(t.charactersPerToken), bytes_per_token: round(t.bytesPerToken) },
    })),
    boundaries: { shared: r.boundaries.shared, differing: r.boundaries.differing },
    summary: r.summary,
  });
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A long path shortened for the name column: `…/tokenizer-qwen3/models/tokenizer.json`. */
function label(name: string, max = 32): string {
  return name.length <= max ? name : `…${name.slice(name.length - max + 1)}`;
}

function writeComparison(r: ComparisonResult, text: string, out: NodeJS.WriteStream): void {
  const color = useColor(out);
  const labels = r.tokenizers.map((t) => label(t.name));
  const nameWidth = Math.max(...labels.map((l) => l.length)) + 2;
  out.write(`${r.characters.toLocaleString('en-US')} characters · ${r.bytes.toLocaleString('en-US')} bytes\n\n`);
  for (const [i, t] of r.tokenizers.entries()) {
    out.write(`${bold(labels[i].padEnd(nameWidth), color)}${String(t.ids.length).padStart(7)} ${t.ids.length === 1 ? 'token ' : 'tokens'} · ${t.charactersPerToken.toFixed(2)} characters/token · ${t.bytesPerToken.toFixed(2)} bytes/token\n`);
  }
  out.write('\n');
  const shown = Math.min(text.length, COMPARE_TERMINAL_CHARS);
  for (const block of alignedBlocks(r, text, shown, LINE_WIDTH - nameWidth)) {
    for (const [i, row] of block.rows.entries()) out.write(`${labels[i].padEnd(nameWidth)}${row(color)}\n`);
    if (block.marks) out.write(`${' '.repeat(nameWidth)}${block.marks}\n`);
  }
  if (shown < text.length) out.write(dim(`… the rows show the first ${shown.toLocaleString('en-US')} of ${text.length.toLocaleString('en-US')} UTF-16 units; the counts cover all of it, --json gives every token\n`, color));
  out.write(`\n${bold(r.summary, color)}\n`);
  out.write(dim('│ where a tokenizer starts or ends a token · ^ a boundary the others do not share · ␣ space ⏎ newline → tab\n', color));
  out.write(dim('│ 分词器切分词元的位置 · ^ 并非所有分词器共有的边界 · ␣ 空格 ⏎ 换行 → 制表符\n', color));
}

interface Block { rows: ((color: boolean) => string)[]; marks: string }

/**
 * The text cut at every boundary any tokenizer makes, in blocks that fit the line: each row
 * prints the same pieces, with `│` before a piece where that tokenizer cuts and a space
 * where it does not, so all rows stay aligned; `marks` puts `^` under differing boundaries.
 */
function alignedBlocks(r: ComparisonResult, text: string, limit: number, width: number): Block[] {
  const offsets = r.boundaries.all.filter((o) => o <= limit);
  if (offsets[offsets.length - 1] !== limit) offsets.push(limit);
  const has = r.tokenizers.map((t) => new Set(t.boundaries));
  const differing = new Set(r.boundaries.differing.map((d) => d.offset));
  const blocks: Block[] = [];
  let pieces: { offset: number; text: string }[] = [];
  let used = 0;
  const flush = (endOffset: number) => {
    if (!pieces.length) return;
    const all = [...pieces, { offset: endOffset, text: '' }];
    blocks.push({
      rows: has.map((set) => (color: boolean) => all.map((p) => bar(set.has(p.offset), differing.has(p.offset), color) + p.text).join('')),
      marks: all.map((p) => (differing.has(p.offset) ? '^' : ' ') + ' '.repeat(displayWidth(p.text))).join('').trimEnd(),
    });
    pieces = [];
    used = 0;
  };
  for (let i = 0; i + 1 < offsets.length; i++) {
    const piece = markWhitespace(text.slice(offsets[i], offsets[i + 1]));
    const w = displayWidth(piece) + 1;
    if (used + w > width && pieces.length) flush(offsets[i]);
    pieces.push({ offset: offsets[i], text: piece });
    used += w;
  }
  flush(offsets[offsets.length - 1]);
  return blocks;
}

function bar(cuts: boolean, differs: boolean, color: boolean): string {
  if (!cuts) return ' ';
  if (!color) return '│';
  return differs ? '\x1b[1;33m│\x1b[0m' : '\x1b[2m│\x1b[0m';
}

/** Terminal columns of a string: East Asian wide characters and most emoji take two. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c >= 0x300 && c < 0x370) continue; // combining marks
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
      || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6)
      || (c >= 0x1f300 && c <= 0x1f64f) || (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd);
    w += wide ? 2 : 1;
  }
  return w;
}
