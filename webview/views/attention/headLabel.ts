/**
 * A named head's pattern in the display language. The engine sends the model card's
 * English label (src/engine/model/bundledModels.ts HEAD_PATTERN_LABEL); the known ones
 * are translated here, anything else is shown as sent.
 */
import { t } from '../../l10n';

export function headLabel(label: string): string {
  switch (label) {
    case 'previous token': return t('previous token');
    case 'first token (sink)': return t('first token (sink)');
    case '[SEP] / punctuation': return t('[SEP] / punctuation');
    default: return label;
  }
}
