/**
 * A named head's pattern in the display language. The engine sends the model card's
 * English label (src/engine/model/bundledModels.ts HEAD_PATTERN_LABEL); the known ones
 * are translated here, anything else is shown as sent. An alignment head is a cross-attention
 * head (a decoder layer's), so the encoder's self-attention tiles do not wear its name.
 */
import { t } from '../../l10n';

/** HEAD_PATTERN_LABEL.alignment: the one pattern read in cross attention. */
export const ALIGNMENT_LABEL = 'alignment (cross attention)';

/** Whether a named head's label belongs on self-attention heads (every pattern but alignment). */
export function isSelfAttentionLabel(label: string): boolean {
  return label !== ALIGNMENT_LABEL;
}

export function headLabel(label: string): string {
  switch (label) {
    case 'previous token': return t('previous token');
    case 'first token (sink)': return t('first token (sink)');
    case '[SEP] / punctuation': return t('[SEP] / punctuation');
    case ALIGNMENT_LABEL: return t('alignment head (cross attention)');
    default: return label;
  }
}
