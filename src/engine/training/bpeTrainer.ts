/**
 * BPE training, the classic algorithm (Sennrich et al. 2016, rsennrich/subword-nmt
 * `learn_bpe.py`), reported round by round for the panel:
 *
 * 1. count word frequencies (whitespace-separated words, in order of first appearance);
 * 2. split each word into characters plus the end-of-word symbol `</w>`;
 * 3. count adjacent pairs weighted by word frequency, merge the most frequent pair
 *    everywhere — ties go to the pair met first reading the corpus in order (words in
 *    first-appearance order, pairs left to right);
 * 4. repeat until the merge count, the vocabulary size or the minimum pair frequency
 *    says stop.
 *
 * Worked example (the test): low 5, lower 2, newest 6, widest 3 → es(9), est(9),
 * est</w>(9), lo(7), low(7), ne(6), new(6), newest</w>(6), low</w>(5), wi(3), wid(3),
 * widest</w>(3); `lower` ends as `low e r </w>`.
 *
 * Byte-level mode (BBPE, GPT-2 style): words are the GPT-2 regex pieces (a space stays
 * on the word after it), symbols are UTF-8 bytes shown as GPT-2's printable stand-ins
 * (`Ġ` = 0x20), no `</w>`, and the starting vocabulary is all 256 bytes.
 *
 * Cost: each round recounts pairs over the distinct words, O(symbols) per round. Fine
 * for a selection; the CLI and panel cap the input (MAX_TRAINING_CHARS).
 */
import { BYTE_TO_UNICODE } from '../tokenizers/byteLevel';
import { GPT2_SPLIT } from '../tokenizers/hf/preTokenizers';

export const END_OF_WORD = '</w>';
export const MAX_TRAINING_CHARS = 2_000_000;

export interface TrainOptions {
  mode?: 'classic' | 'byte-level';
  /** Stop after this many merges. */
  merges?: number;
  /** Stop when the vocabulary (initial symbols + merges) reaches this size. */
  vocabSize?: number;
  /** Stop when the best pair occurs fewer times than this (default 2: a pair seen once teaches nothing). */
  minFrequency?: number;
}

export interface MergeRound {
  round: number;
  pair: [string, string];
  merged: string;
  frequency: number;
  /** Vocabulary size after this merge. */
  vocabSize: number;
}

export interface WordSegmentation {
  word: string;
  frequency: number;
  symbols: string[];
}

export interface TrainResult {
  mode: 'classic' | 'byte-level';
  initialVocab: string[];
  merges: MergeRound[];
  vocab: string[];
  segmentation: WordSegmentation[];
  stoppedBecause: string;
}

/** Word frequencies in first-appearance order: `"a b a"` → a 2, b 1. */
export function countWords(text: string, mode: 'classic' | 'byte-level' = 'classic'): [string, number][] {
  if (text.length > MAX_TRAINING_CHARS) {
    throw new Error(`BPE training takes at most ${MAX_TRAINING_CHARS.toLocaleString('en-US')} characters; got ${text.length.toLocaleString('en-US')}`);
  }
  const counts = new Map<string, number>();
  const words = mode === 'classic' ? text.split(/\s+/u).filter((w) => w.length > 0) : (text.match(GPT2_SPLIT) ?? []);
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return [...counts];
}

function initialSymbols(word: string, mode: 'classic' | 'byte-level'): string[] {
  if (mode === 'classic') return [...word, END_OF_WORD];
  return [...new TextEncoder().encode(word)].map((b) => BYTE_TO_UNICODE[b]);
}

/** Train on raw text (words counted with {@link countWords}). */
export function trainBpe(text: string, options: TrainOptions = {}): TrainResult {
  return trainBpeOnWords(countWords(text, options.mode ?? 'classic'), options);
}

/** Train on word frequencies given in corpus order. */
export function trainBpeOnWords(wordFreqs: [string, number][], options: TrainOptions = {}): TrainResult {
  const mode = options.mode ?? 'classic';
  const minFrequency = options.minFrequency ?? 2;
  const words = wordFreqs.map(([word, frequency]) => ({ word, frequency, symbols: initialSymbols(word, mode) }));
  const vocab: string[] = mode === 'byte-level' ? [...BYTE_TO_UNICODE] : [];
  const known = new Set(vocab);
  for (const w of words) for (const s of w.symbols) if (!known.has(s)) { known.add(s); vocab.push(s); }
  const initialVocab = [...vocab];
  const merges: MergeRound[] = [];
  let stoppedBecause = 'no pair left to merge';
  for (;;) {
    if (options.merges !== undefined && merges.length >= options.merges) { stoppedBecause = `reached ${options.merges} merges`; break; }
    if (options.vocabSize !== undefined && vocab.length >= options.vocabSize) { stoppedBecause = `reached vocabulary size ${options.vocabSize}`; break; }
    const best = mostFrequentPair(words);
    if (!best) break;
    if (best.frequency < minFrequency) { stoppedBecause = `best pair occurs ${best.frequency} time(s), below the minimum ${minFrequency}`; break; }
    const merged = best.left + best.right;
    for (const w of words) w.symbols = mergePair(w.symbols, best.left, best.right, merged);
    if (!known.has(merged)) { known.add(merged); vocab.push(merged); }
    merges.push({ round: merges.length + 1, pair: [best.left, best.right], merged, frequency: best.frequency, vocabSize: vocab.length });
  }
  return { mode, initialVocab, merges, vocab, segmentation: words, stoppedBecause };
}

/**
 * Count pairs in corpus order; a Map keeps first-insertion order, and a strictly greater
 * count is needed to replace the leader, so ties go to the pair met first.
 */
function mostFrequentPair(words: { frequency: number; symbols: string[] }[]): { left: string; right: string; frequency: number } | undefined {
  const counts = new Map<string, { left: string; right: string; frequency: number }>();
  for (const w of words) {
    for (let i = 0; i + 1 < w.symbols.length; i++) {
      const key = w.symbols[i] + '\u0000' + w.symbols[i + 1];
      const entry = counts.get(key);
      if (entry) entry.frequency += w.frequency;
      else counts.set(key, { left: w.symbols[i], right: w.symbols[i + 1], frequency: w.frequency });
    }
  }
  let best: { left: string; right: string; frequency: number } | undefined;
  for (const entry of counts.values()) if (!best || entry.frequency > best.frequency) best = entry;
  return best;
}

/** Replace every non-overlapping `left right`, left to right: `a a a` with (a,a) → `aa a`. */
export function mergePair(symbols: string[], left: string, right: string, merged: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < symbols.length; i++) {
    if (i + 1 < symbols.length && symbols[i] === left && symbols[i + 1] === right) { out.push(merged); i++; }
    else out.push(symbols[i]);
  }
  return out;
}

/** Segment new text with learned merges, applied in the order they were learned. */
export function applyMerges(word: string, merges: MergeRound[], mode: 'classic' | 'byte-level' = 'classic'): string[] {
  let symbols = initialSymbols(word, mode);
  for (const m of merges) symbols = mergePair(symbols, m.pair[0], m.pair[1], m.merged);
  return symbols;
}
