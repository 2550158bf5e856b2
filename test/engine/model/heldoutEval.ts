/**
 * The held-out measurements of tools/train/evaluate.py, recomputed through our engine
 * (same windows, same masked positions, same head scores), so the model cards' numbers
 * are checked by code that did not produce them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logitsRows } from '../../../src/engine/model/heads';
import { runModel, type LoadedModel } from '../../../src/engine/model/loadModel';
import type { Tokenizer } from '../../../src/engine/tokenizers/types';

export const HELDOUT = join(__dirname, '..', '..', '..', 'tools', 'train', 'data', 'heldout.txt');
const GPT_WINDOW = 256;
const BERT_WINDOW = 254;

/** BPE ids of every held-out document, each followed by `docEnd`. */
export function heldoutStream(tok: Tokenizer, docEnd: number): number[] {
  const docs = readFileSync(HELDOUT, 'utf8').replace(/\n$/, '').split('\n%\n');
  return docs.flatMap((d) => [...tok.encode(d, { specialTokens: 'plain', addSpecialTokens: false }), docEnd]);
}

/** Consecutive windows of 256 tokens; with `bos` (a tokenizer whose post-processor starts every text with it), 255 tokens after it. */
export function gptWindows(stream: number[], bos?: number): number[][] {
  const out: number[][] = [];
  if (bos !== undefined) {
    for (let s = 0; s < stream.length; s += GPT_WINDOW - 1) out.push([bos, ...stream.slice(s, s + GPT_WINDOW - 1)]);
    return out;
  }
  for (let s = 0; s < stream.length - 1; s += GPT_WINDOW) {
    const w = stream.slice(s, s + GPT_WINDOW);
    if (w.length >= 2) out.push(w);
  }
  return out;
}

/** Ids of the tokens whose text, spaces trimmed, is one or more Unicode punctuation characters (special tokens hold letters). */
export function punctuationIds(tok: Tokenizer): Set<number> {
  const out = new Set<number>();
  for (let id = 0; id < tok.vocabSize; id++) {
    const text = tok.decode([id]).trim();
    if (/^\p{P}+$/u.test(text)) out.add(id);
  }
  return out;
}

export function bertWindows(stream: number[], cls: number, sep: number): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < stream.length; s += BERT_WINDOW) out.push([cls, ...stream.slice(s, s + BERT_WINDOW), sep]);
  return out;
}

/** (w·1000 + j) · 2654435761 mod 2^32 mod 100 < 15: Knuth's multiplicative hash, exact in both languages. */
export function isEvalMasked(w: number, j: number): boolean {
  return (Math.imul(w * 1000 + j, 2654435761 | 0) >>> 0) % 100 < 15;
}

function logSoftmaxAt(row: Float32Array, offset: number, V: number, id: number): number {
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, row[offset + v]);
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(row[offset + v] - max);
  return row[offset + id] - max - Math.log(sum);
}

export function perplexity(model: LoadedModel, windows: number[][]): { perplexity: number; nll: number } {
  const V = model.config.vocabSize;
  let nll = 0, count = 0;
  for (const win of windows) {
    const r = runModel(model, { ids: win }, { record: 'none' });
    const logits = logitsRows(model.config, model.weights, r.hidden, 0, win.length - 1, model.kernels); // [T−1, V]
    for (let i = 0; i + 1 < win.length; i++) nll -= logSoftmaxAt(logits, i * V, V, win[i + 1]);
    count += win.length - 1;
  }
  return { perplexity: Math.exp(nll / count), nll: nll / count };
}

export function maskedAccuracy(model: LoadedModel, windows: number[][], maskId: number, sep: number): { accuracy: number; masked: number } {
  const V = model.config.vocabSize;
  let right = 0, total = 0;
  windows.forEach((win, w) => {
    const positions = win.map((_, j) => j).filter((j) => j >= 1 && j < win.length - 1 && isEvalMasked(w, j) && win[j] !== sep);
    if (positions.length === 0) return;
    const masked = win.slice();
    for (const j of positions) masked[j] = maskId;
    const r = runModel(model, { ids: masked }, { record: 'none' });
    const logits = logitsRows(model.config, model.weights, r.hidden, 0, win.length, model.kernels); // [T, V]
    for (const j of positions) {
      let best = 0;
      for (let v = 1; v < V; v++) if (logits[j * V + v] > logits[j * V + best]) best = v;
      if (best === win[j]) right++;
    }
    total += positions.length;
  });
  return { accuracy: right / total, masked: total };
}

/** Mean over every query i ≥ 1 of every window: {pattern: [L][NH]}; `separators`: [SEP] and the punctuation ids (tiny-bert). */
export function headScores(model: LoadedModel, windows: number[][], separators?: Set<number>): Record<string, number[][]> {
  const { layers: L, heads: NH } = model.config;
  const table = () => Array.from({ length: L }, () => new Array<number>(NH).fill(0));
  const sums: Record<string, number[][]> = { previous: table(), first: table(), ...(separators ? { sep: table() } : {}) };
  let queries = 0;
  for (const win of windows) {
    const T = win.length;
    const r = runModel(model, { ids: win }, { record: 'weights' });
    const keys = separators ? win.map((id, k) => (separators.has(id) ? k : -1)).filter((k) => k >= 0) : [];
    r.layers.forEach((layer, l) => layer.heads.forEach((head, h) => {
      const a = head.weights!; // [T, T]
      for (let i = 1; i < T; i++) {
        sums.previous[l][h] += a[i * T + i - 1];
        sums.first[l][h] += a[i * T];
        for (const k of keys) sums.sep[l][h] += a[i * T + k];
      }
    }));
    queries += T - 1;
  }
  for (const t of Object.values(sums)) for (const row of t) row.forEach((v, h) => { row[h] = v / queries; });
  return sums;
}
