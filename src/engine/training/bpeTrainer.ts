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
 * Cost: pair counts are kept incrementally, as subword-nmt's `learn_bpe.py` keeps them:
 * an index from each pair to the words holding it, and a round rewrites only the words
 * that hold the merged pair, updating the counts of their pairs. A round costs a scan of
 * the live pairs plus the symbols of the words it touches, not a recount of the corpus
 * (without a merge limit, 100k characters took 66.9 s recounting). Ties are resolved as a
 * recount in corpus order would resolve them (PairIndex.best). Words are still arrays, so
 * one giant word (no whitespace at all) is rewritten whole each round it takes part in.
 * The CLI and panel cap the input (MAX_TRAINING_CHARS).
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
  const index = new PairIndex(words);
  for (;;) {
    if (options.merges !== undefined && merges.length >= options.merges) { stoppedBecause = `reached ${options.merges} merges`; break; }
    if (options.vocabSize !== undefined && vocab.length >= options.vocabSize) { stoppedBecause = `reached vocabulary size ${options.vocabSize}`; break; }
    const best = index.best();
    if (!best) break;
    if (best.frequency < minFrequency) { stoppedBecause = `best pair occurs ${best.frequency} time(s), below the minimum ${minFrequency}`; break; }
    const merged = best.left + best.right;
    const frequency = best.frequency; // merging empties the pair's own count
    index.merge(best, merged);
    if (!known.has(merged)) { known.add(merged); vocab.push(merged); }
    merges.push({ round: merges.length + 1, pair: [best.left, best.right], merged, frequency, vocabSize: vocab.length });
  }
  return { mode, initialVocab, merges, vocab, segmentation: words, stoppedBecause };
}

interface PairStat {
  left: string;
  right: string;
  /** Occurrences weighted by word frequency, over all words. */
  frequency: number;
  /** word index → adjacent occurrences of the pair in that word. */
  where: Map<number, number>;
  /** The smallest word index in `where`, or -1 when it must be recomputed. */
  firstWord: number;
}

/**
 * Pair counts kept up to date across merges. `best()` answers what a full recount in
 * corpus order would: the highest frequency, ties to the pair met first reading the words
 * in first-appearance order and each word left to right — that is, the smallest
 * (first word holding it, position of its first occurrence in that word).
 */
class PairIndex {
  private readonly stats = new Map<string, PairStat>();

  constructor(private readonly words: { frequency: number; symbols: string[] }[]) {
    words.forEach((_, w) => this.count(w, +1));
  }

  best(): PairStat | undefined {
    let best: PairStat | undefined;
    for (const st of this.stats.values()) {
      if (!best || st.frequency > best.frequency || (st.frequency === best.frequency && this.metBefore(st, best))) best = st;
    }
    return best;
  }

  /** Merge `pair` everywhere it occurs, updating the counts of every word it touched. */
  merge(pair: PairStat, merged: string): void {
    for (const w of [...pair.where.keys()]) {
      this.count(w, -1);
      this.words[w].symbols = mergePair(this.words[w].symbols, pair.left, pair.right, merged);
      this.count(w, +1);
    }
  }

  /** Add (+1) or remove (−1) the pairs of word `w` as it is now. */
  private count(w: number, sign: 1 | -1): void {
    const { symbols, frequency } = this.words[w];
    for (let i = 0; i + 1 < symbols.length; i++) {
      const key = symbols[i] + '\u0000' + symbols[i + 1];
      let st = this.stats.get(key);
      if (!st) {
        if (sign < 0) continue;
        st = { left: symbols[i], right: symbols[i + 1], frequency: 0, where: new Map(), firstWord: w };
        this.stats.set(key, st);
      }
      st.frequency += sign * frequency;
      const n = (st.where.get(w) ?? 0) + sign;
      if (n > 0) {
        if (!st.where.has(w) && st.firstWord >= 0 && w < st.firstWord) st.firstWord = w;
        st.where.set(w, n);
      } else {
        st.where.delete(w);
        if (st.firstWord === w) st.firstWord = -1;
      }
      if (st.where.size === 0) this.stats.delete(key);
    }
  }

  private firstWordOf(st: PairStat): number {
    if (st.firstWord < 0) { let m = Infinity; for (const w of st.where.keys()) if (w < m) m = w; st.firstWord = m; }
    return st.firstWord;
  }

  /** Whether a corpus-order reading meets `a` before `b`. */
  private metBefore(a: PairStat, b: PairStat): boolean {
    const wa = this.firstWordOf(a), wb = this.firstWordOf(b);
    if (wa !== wb) return wa < wb;
    const s = this.words[wa].symbols;
    for (let i = 0; i + 1 < s.length; i++) {
      if (s[i] === a.left && s[i + 1] === a.right) return true;
      if (s[i] === b.left && s[i + 1] === b.right) return false;
    }
    return false;
  }
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
