/**
 * `trace attention`: run a model (bundled `tiny-gpt` by default, `tiny-bert`, `tiny-translator`, or a folder) on text or ids and print its attention — as JSON
 * (`--json`: attentions [L][H][T][T], hidden_states_last, next_token_top / mask_top) or as
 * shaded matrices per head with the model's predictions.
 */
import { runAttentionJob, reportToJson, type AttentionReport } from '../engine/model/attentionJob';
import { resolveModelSpec } from '../engine/hub/resolveModel';
import { hubSettingsFromEnv, type DownloadProgress } from '../engine/hub/hubModel';
import type { RecordLevel } from '../engine/model/attention';
import type { KernelChoice } from '../engine/model/loadModel';
import { BUNDLED_MODELS, DEFAULT_MODEL, HEAD_PATTERN_LABEL, isCrossAttentionPattern } from '../engine/model/bundledModels';
import { inputText, positiveInt } from './main';
import { UsageError, type ParsedArgs } from './args';
import { bold, dim, readableEntry, useColor } from './terminal';
import { confirmLargeDownload } from './hubConfirm';

const SHADES = [' ', '░', '▒', '▓', '█'];
const MAX_MATRIX_TOKENS = 24;

export function parseIds(v: string, option = 'ids'): number[] {
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (ids.length === 0 || ids.some((n) => !Number.isInteger(n) || n < 0)) throw new UsageError(`--${option} must be comma-separated non-negative integers, got ${JSON.stringify(v)}`);
  return ids;
}

export async function attentionCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const model = await modelFolder(args, err, DEFAULT_MODEL);
  const idsOpt = args.options.get('ids');
  const ids = typeof idsOpt === 'string' ? parseIds(idsOpt) : undefined;
  const record = (args.options.get('record') ?? 'weights') as string;
  if (record !== 'weights' && record !== 'all') throw new UsageError('--record must be "weights" or "all"');
  const kernels = (args.options.get('kernels') ?? 'auto') as string;
  if (!['auto', 'wasm', 'typescript'].includes(kernels)) throw new UsageError('--kernels must be "wasm" or "typescript"');
  const decOpt = args.options.get('decoder-ids');
  const target = args.options.get('target');
  const report = runAttentionJob({
    model, ids, text: ids ? undefined : inputText(args), record: record as RecordLevel,
    topK: positiveInt(args, 'top'), kernels: kernels as KernelChoice,
    decoderIds: typeof decOpt === 'string' ? parseIds(decOpt, 'decoder-ids') : undefined, target: typeof target === 'string' ? target : undefined,
  });
  if ((decOpt !== undefined || target !== undefined) && !report.seq2seq) throw new UsageError(`--${decOpt !== undefined ? 'decoder-ids' : 'target'} is for encoder–decoder models (T5, BART, Marian); ${report.model} has no decoder input`);
  if (report.notice) err.write(`trace: ${report.notice}\n`);
  if (args.options.has('json')) out.write(JSON.stringify(reportToJson(report)) + '\n');
  else printReport(report, out);
}

/** The folder `--model` names (bundled, a path, or a Hub id fetched with progress on stderr; over 1 GB asked first, or --yes). */
export async function modelFolder(args: ParsedArgs, err: NodeJS.WriteStream, fallback: string): Promise<string> {
  const spec = args.options.get('model') ?? fallback;
  if (typeof spec !== 'string') throw new UsageError(`--model needs a value: ${BUNDLED_MODELS.join(', ')}, a folder (config.json + model.safetensors) or a Hub id`);
  return (await resolveModelSpec(spec, hubSettingsFromEnv(), {
    onProgress: progressPrinter(spec, err),
    confirmDownload: confirmLargeDownload(args, { input: process.stdin, err }),
  })).folder;
}

/** Download progress on stderr: one updating line on a terminal, a line per 10% otherwise. */
export function progressPrinter(what: string, err: NodeJS.WriteStream): (p: DownloadProgress) => void {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  let lastDecile = -1;
  return (p) => {
    const line = `downloading ${what}: ${p.file}  ${mb(p.received)} / ${mb(p.total)} MB  ${mb(p.bytesPerSecond)} MB/s`;
    if (err.isTTY) { err.write(`\r${line}${p.received >= p.total ? '\n' : ''}`); return; }
    const decile = Math.floor((10 * p.received) / Math.max(1, p.total));
    if (decile !== lastDecile) { lastDecile = decile; err.write(line + '\n'); }
  };
}

/** A token's label in the matrix's left column: whole up to LABEL_MAX characters, else cut with an ellipsis. */
const LABEL_MAX = 16;
function fitLabel(text: string): string {
  return text.length <= LABEL_MAX ? text : `${text.slice(0, LABEL_MAX - 1)}…`;
}

/** One head's matrix as shaded rows (query tokens) over columns (key tokens), each row's strongest key named. */
function printMatrix(out: NodeJS.WriteStream, title: string, w: Float32Array, rowsT: { text: string }[], colsT: { text: string }[], readable: (s: string) => string, color: boolean): void {
  const R = rowsT.length, K = colsT.length;
  const shownR = Math.min(R, MAX_MATRIX_TOKENS), shownK = Math.min(K, MAX_MATRIX_TOKENS);
  const labels = rowsT.slice(0, shownR).map((t) => fitLabel(readable(t.text)));
  const labelWidth = Math.max(...labels.map((t) => t.length));
  out.write(`\n${title}${R > shownR || K > shownK ? dim(`  (first ${shownR} × ${shownK} tokens)`, color) : ''}\n`);
  for (let q = 0; q < shownR; q++) {
    let best = 0;
    let cells = '';
    for (let k = 0; k < shownK; k++) {
      const v = w[q * K + k];
      if (v > w[q * K + best]) best = k;
      cells += SHADES[Math.min(4, Math.ceil(v * 4))];
    }
    out.write(`  ${labels[q].padStart(labelWidth)} │${cells}│ → ${readable(colsT[best].text)} ${w[q * K + best].toFixed(2)}\n`);
  }
}

function printReport(r: AttentionReport, out: NodeJS.WriteStream): void {
  const color = useColor(out);
  const readable = (spelling: string) => readableEntry(spelling, r.byteLevel);
  const T = r.result.T;
  out.write(`${bold(r.model, color)}  ${r.description}${r.tokenizerSource ? dim(`  tokenizer: ${r.tokenizerSource}`, color) : ''}\n`);
  out.write(`${r.seq2seq ? 'source, ' : ''}${T} tokens: ${r.tokens.map((t, i) => `${i}:${readable(t.text)}`).join(' ')}\n`);
  const dec = r.seq2seq?.decoderTokens;
  if (dec) out.write(`decoder input, ${dec.length} tokens: ${dec.map((t, i) => `${i}:${readable(t.text)}`).join(' ')}\n`);
  const kind = (what: string, note: string) => (r.seq2seq ? `${bold(what, color)} ${dim(note, color)}  ` : '');
  // the model card's names: self-attention patterns on the (encoder's) self attention, alignment on cross attention
  const namedAt = (l: number, h: number, cross: boolean) => {
    const names = r.namedHeads.filter((n) => n.layer === l && n.head === h && isCrossAttentionPattern(n.pattern) === cross).map((n) => `${HEAD_PATTERN_LABEL[n.pattern]} head`).join(', ');
    return names ? `  ${names}` : '';
  };
  for (const [l, layer] of r.result.layers.entries()) {
    for (const [h, head] of layer.heads.entries()) {
      printMatrix(out, `${kind('encoder self-attention', '(bidirectional)')}${bold(`layer ${l} head ${h}`, color)}${namedAt(l, h, false)}`, head.weights!, r.tokens, r.tokens, readable, color);
    }
  }
  if (r.seq2seq && dec) {
    for (const [l, layer] of r.seq2seq.decoder.layers.entries()) {
      for (const [h, head] of layer.heads.entries()) printMatrix(out, `${kind('decoder self-attention', '(causal)')}${bold(`layer ${l} head ${h}`, color)}`, head.weights!, dec, dec, readable, color);
      for (const [h, head] of (layer.cross ?? []).entries()) printMatrix(out, `${kind('cross attention', '(decoder rows × source columns)')}${bold(`layer ${l} head ${h}`, color)}${namedAt(l, h, true)}`, head.weights!, dec, r.tokens, readable, color);
    }
  }
  const entry = (e: { id: number; logit: number }) => `${readable(r.tokenText(e.id) ?? `#${e.id}`)} ${dim(`${e.id} · ${e.logit.toFixed(2)}`, color)}`;
  if (r.nextTokenTop) out.write(`\n${bold('next token', color)}: ${r.nextTokenTop.map(entry).join(', ')}\n`);
  for (const m of r.maskTop ?? []) out.write(`\n${bold(`[MASK] at ${m.pos}`, color)}: ${m.top.map(entry).join(', ')}\n`);
}
