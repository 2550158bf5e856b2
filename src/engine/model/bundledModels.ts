/**
 * The models that ship in media/models/ (trained by tools/train/, see each README.md there)
 * and how a model argument is resolved: a bundled name (`tiny-gpt`, `tiny-bert`,
 * `tiny-translator`) or a folder / .safetensors path. Also reads a model card's named heads
 * (card.json `heads`: the heads whose held-out scores show a known pattern), so the panel
 * and CLI can label them. An 'alignment' head is a cross-attention head of an
 * encoder–decoder (its layer is a decoder layer); the other patterns are self-attention heads.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mediaDir } from '../mediaDir';
import { modelError } from './modelError';
import { withCode } from '../../shared/engineErrors';

export const BUNDLED_MODELS = ['tiny-gpt', 'tiny-bert', 'tiny-translator'] as const;
export type BundledModel = (typeof BUNDLED_MODELS)[number];
export const DEFAULT_MODEL: BundledModel = 'tiny-gpt';

export function isBundledModel(name: string): name is BundledModel {
  return (BUNDLED_MODELS as readonly string[]).includes(name);
}

export function bundledModelFolder(name: BundledModel): string {
  return join(mediaDir(), 'models', name);
}

/** `tiny-gpt` → media/models/tiny-gpt; an existing path → itself; anything else → a named error. */
export function resolveModelPath(spec: string): string {
  const trimmed = spec.trim();
  if (trimmed === '') return bundledModelFolder(DEFAULT_MODEL);
  if (isBundledModel(trimmed)) return bundledModelFolder(trimmed);
  if (existsSync(trimmed)) return trimmed;
  throw withCode(modelError`model "${spec}": no such file or folder, and not a bundled model (${BUNDLED_MODELS.join(', ')})`, 'unknown-model', spec, BUNDLED_MODELS.join(', '));
}

export type HeadPattern = 'previous' | 'first' | 'sep' | 'alignment';

export interface NamedHead {
  pattern: HeadPattern;
  layer: number;
  head: number;
  /** The held-out score that earned the name (see tools/train/evaluate.py). */
  score: number;
}

export const HEAD_PATTERN_LABEL: Record<HeadPattern, string> = {
  previous: 'previous token',
  first: 'first token (sink)',
  sep: '[SEP] / punctuation',
  alignment: 'alignment (cross attention)',
};

/** Patterns found in cross attention (decoder queries × source keys) rather than in self attention. */
export function isCrossAttentionPattern(pattern: HeadPattern): boolean {
  return pattern === 'alignment';
}

/**
 * A head is named only when its held-out score reaches its pattern's bar. Previous token: 0.5
 * (the bar our model-card spec sets). [SEP] / punctuation: 0.5 as well, since a head spreading
 * its weight evenly already puts about 0.14 on those keys in English text. First token (sink):
 * 0.2, because an even spread over 256 positions puts only 0.024 on position 0 in a causal
 * model (the mean of 1/(i+1)) and 0.004 in a bidirectional one; 0.2 is over 8× and 50× that. Alignment: 0.8,
 * the bar issue 22 sets: the head's argmax over the source tokens lands on the lexicon's
 * aligned source word for 80% of held-out target tokens (tools/train/evaluate_translator.py);
 * a head picking one of a sentence's 4–8 source tokens at random scores about 0.15.
 */
export const NAMED_HEAD_MIN_SCORE: Record<HeadPattern, number> = { previous: 0.5, first: 0.2, sep: 0.5, alignment: 0.8 };

/** Named heads from `folder/card.json` at or over their pattern's NAMED_HEAD_MIN_SCORE; none when there is no card or it is malformed. */
export function readNamedHeads(folder: string, layers: number, heads: number): NamedHead[] {
  const path = join(folder, 'card.json');
  if (!existsSync(path)) return [];
  let card: { heads?: unknown };
  try {
    card = JSON.parse(readFileSync(path, 'utf8')) as { heads?: unknown };
  } catch {
    return [];
  }
  if (!Array.isArray(card.heads)) return [];
  return card.heads.filter((h): h is NamedHead => {
    const o = h as Partial<NamedHead>;
    return typeof o === 'object' && o !== null && typeof o.pattern === 'string' && o.pattern in HEAD_PATTERN_LABEL
      && Number.isInteger(o.layer) && o.layer! >= 0 && o.layer! < layers
      && Number.isInteger(o.head) && o.head! >= 0 && o.head! < heads && typeof o.score === 'number' && o.score >= NAMED_HEAD_MIN_SCORE[o.pattern as HeadPattern];
  }).map((h) => ({ pattern: h.pattern, layer: h.layer, head: h.head, score: h.score }));
}
