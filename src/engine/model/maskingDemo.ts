/**
 * BERT's pre-training masking, shown token by token (Devlin et al. 2019, §3.1): 15% of the
 * ordinary tokens are chosen for prediction; of those 80% become [MASK], 10% a random
 * token from the vocabulary and 10% stay as they are. Special tokens ([CLS], [SEP], …) are
 * never chosen. Seeded (mulberry32), so a demo can be replayed exactly.
 */
import { mulberry32 } from '../../shared/sampling';

export type MaskAction = 'mask' | 'random' | 'keep';

export interface MaskingStep {
  pos: number;
  original: number;
  /** Only for chosen positions. */
  action?: MaskAction;
  /** The id the model sees. */
  input: number;
}

export interface MaskingOptions {
  seed: number;
  vocabSize: number;
  maskId: number;
  /** ids never chosen ([CLS], [SEP], [PAD], …) */
  specialIds: ReadonlySet<number>;
  /** 0.15 by default */
  rate?: number;
}

export function bertMaskingDemo(ids: readonly number[], o: MaskingOptions): MaskingStep[] {
  const rand = mulberry32(o.seed);
  const rate = o.rate ?? 0.15;
  return ids.map((original, pos) => {
    // three draws for every position, chosen or not, so one token's fate never shifts another's
    const choose = rand(), how = rand(), pick = rand();
    if (o.specialIds.has(original) || choose >= rate) return { pos, original, input: original };
    if (how < 0.8) return { pos, original, action: 'mask', input: o.maskId };
    if (how < 0.9) return { pos, original, action: 'random', input: Math.floor(pick * o.vocabSize) };
    return { pos, original, action: 'keep', input: original };
  });
}
