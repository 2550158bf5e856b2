/**
 * The textbook BPE corpus (Sennrich, Haddow & Birch 2016, "Neural Machine Translation of Rare
 * Words with Subword Units", Figure 1): low ×5, lower ×2, newest ×6, widest ×3. Train BPE
 * trains on it with one click (message `train` with `example: true`); its first merges are
 * es, est, est</w>, lo, low (test/engine/bpeTrainer.test.ts).
 */
export const BPE_TEXTBOOK_TEXT = ('low '.repeat(5) + 'lower '.repeat(2) + 'newest '.repeat(6) + 'widest '.repeat(3)).trim();
