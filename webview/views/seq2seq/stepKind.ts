/**
 * The step trace of an encoder–decoder: which of the three attentions it follows (a picker
 * in the Step trace tab), the tokens its queries and keys are (cross: q from a target
 * token, k and v from every source token), a line that labels the kind, and for cross
 * attention the head's whole rectangular score matrix [queries, T] (StepTrace.scores) with
 * both label axes.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { PanelAttention } from '../../../src/shared/protocol';
import { STEP_ATTENTIONS, type StepAttention } from '../../../src/shared/seq2seqProtocol';
import { dropdown } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import type { Inspector } from '../attention/state';
import { drawRect, rectCell } from './rectHeatmap';

type Tokens = readonly { text: string }[];

const kindName = (k: StepAttention): string => (k === 'cross' ? t('cross attention') : k === 'decoder-self' ? t('decoder self attention') : t('encoder self attention'));

/** The query's tokens and the keys' tokens of a step trace (a one-stack model: the selection's, both). */
export function stepTokens(s: StepTrace, a: PanelAttention): { queries: Tokens; keys: Tokens } {
  const target = a.seq2seq?.decoderTokens ?? a.tokens;
  if (s.kind === 'cross') return { queries: target, keys: a.tokens };
  if (s.kind === 'decoder-self') return { queries: target, keys: target };
  return { queries: a.tokens, keys: a.tokens };
}

/** The picker of the attention to trace; undefined for a one-stack model. */
export function stepKindPicker(ins: Inspector): HTMLElement | undefined {
  if (!ins.a.seq2seq) return undefined;
  const names = STEP_ATTENTIONS.map(kindName);
  const node = dropdown('step-kind', t('Attention'), names, kindName(ins.state.attention ?? 'encoder-self'), (v) => ins.update({ attention: STEP_ATTENTIONS[Math.max(0, names.indexOf(v))] }));
  // the Encoder–decoder tab's Step trace buttons change the attention too: show it
  ins.onChange(() => {
    const dd = node.querySelector('vscode-dropdown') as (HTMLElement & { value: string }) | null;
    const want = kindName(ins.state.attention ?? 'encoder-self');
    if (dd && dd.value !== want) dd.value = want;
  });
  return node;
}

/** What the mask step says for cross attention: only padded source keys are hidden. */
export function crossMaskText(s: StepTrace): string {
  const hidden = s.mask.filter((m) => m === -Infinity).length;
  return t('Cross attention: the source is given whole, so no key is in the future; only padded source keys get −∞ ({0} of {1} here).', hidden, s.T);
}

/** The kind line and, for cross attention, the [queries, T] score heatmap; nothing for a one-stack model. */
export function kindBlock(s: StepTrace, a: PanelAttention): HTMLElement {
  if (!s.kind) return el('span');
  const { queries, keys } = stepTokens(s, a);
  const q = tokenLabel(queries[s.query]?.text ?? '');
  const line = s.kind === 'cross'
    ? t('Cross attention: q from target token {0} “{1}” (the decoder), k and v from all {2} source tokens (the encoder\'s output).', s.query, q, s.T)
    : s.kind === 'decoder-self'
      ? t('Decoder self attention (causal): q, k and v from the target tokens; token {0} “{1}” reads tokens 0…{0}.', s.query, q)
      : t('Encoder self attention (bidirectional): q, k and v from the source tokens.');
  const parts: HTMLElement[] = [el('p', { id: 'step-kind-line', 'data-kind': s.kind }, line)];
  if (s.kind === 'cross') {
    const rows = s.queries ?? s.T;
    const canvas = el('canvas', { id: 'step-cross-scores', role: 'img', 'data-rows': rows, 'data-cols': s.T, 'aria-label': t('Scores q·k × scale of this head: {0} target rows by {1} source keys', rows, s.T) });
    // scores are unbounded: shade each cell by its place between the row's min and max
    const shade = new Float32Array(rows * s.T);
    for (let r = 0; r < rows; r++) {
      const row = s.scores.subarray(r * s.T, (r + 1) * s.T);
      let lo = Infinity, hi = -Infinity;
      for (const v of row) { if (v > -Infinity) { lo = Math.min(lo, v); hi = Math.max(hi, v); } }
      row.forEach((v, k) => { shade[r * s.T + k] = v === -Infinity ? -Infinity : hi > lo ? 0.05 + (0.95 * (v - lo)) / (hi - lo) : 0.5; });
    }
    requestAnimationFrame(() => drawRect(canvas, shade, rows, s.T, { cell: rectCell(s.T, 420), rowLabels: queries.map((x) => x.text), colLabels: keys.map((x) => x.text), row: s.query }));
    parts.push(el('p', { class: 'muted' }, t('The head\'s scores for every target row (shaded from each row\'s smallest to its largest); the outlined row is this query.')), el('div', { class: 'attention-scroll' }, canvas));
  }
  return el('div', { id: 'step-kind' }, ...parts);
}
