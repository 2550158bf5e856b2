/**
 * The tokenizer pipeline's stages in the display language: the stage itself (normalize,
 * pre-tokenize, model, post-process) and the names and notes the engine marked as prose
 * with a code (src/shared/stageCodes.ts); component names such as `NFC` or
 * `ByteLevel(…)` stay as they are. The engine's English is the CLI's text.
 */
import type { PanelStage } from '../../src/shared/protocol';
import { t } from '../l10n';

/** The stage, and its name and note when the engine marked them as prose (stageCodes.ts), in the display language; component names stay as they are. */
export function stageLabel(stage: string): string {
  switch (stage) {
    case 'normalize': return t('normalize');
    case 'pre-tokenize': return t('pre-tokenize');
    case 'model': return t('model');
    case 'post-process': return t('post-process');
    default: return stage;
  }
}
export function stageName(s: PanelStage): string {
  switch (s.nameCode) {
    case 'none': return t('none');
    case 'regex-split': return t('regex split');
    case 'byte-level-bpe': return t('byte-level BPE');
    default: return s.name;
  }
}
export function stageDetail(s: PanelStage): string | undefined {
  switch (s.detailCode) {
    case 'special-tokens-not-added': return t('special tokens not added');
    case 'tiktoken-no-normalize': return t('tiktoken encodings do not normalize');
    case 'tiktoken-rank-is-id': return t('UTF-8 bytes merged by rank; a token id is its rank');
    default: return s.detail;
  }
}
