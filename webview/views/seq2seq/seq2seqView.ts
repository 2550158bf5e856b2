/**
 * The Encoder–decoder tab (T5, BART, mBART, Marian): the selection is the source; the
 * target is typed in the box (empty: the decoder reads its start token only) or made by
 * Translate (greedy decoding in the worker). For the inspector's layer and heads, the three
 * attentions side by side — encoder self (bidirectional, source × source), decoder self
 * (causal, target × target), cross (target × source, both label axes) — then cross
 * attention as BertViz draws it, and T5's relative position bias.
 * Clicking a row picks the query (a source token for the encoder, a target token for the
 * other two); "Step trace" opens that attention's step trace for the first chosen head.
 */
import type { PanelSeq2Seq, StepAttention } from '../../../src/shared/seq2seqProtocol';
import { button } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { t } from '../../l10n';
import { isSelfAttentionLabel } from '../attention/headLabel';
import type { Inspector } from '../attention/state';
import { crossLines } from './crossLines';
import { drawRect, rectCell, rectCellAt, type RectLayout } from './rectHeatmap';
import { relativeBiasView } from './relativeBiasView';
import { combineHeads, kindMatrix, type AttentionKind } from './seq2seqMath';

/** Longest translation a Translate asks for. */
const TRANSLATE_TOKENS = 64;

/** Each kind's title and note, translated when called (after init brought the bundle). */
export const kindTitles = (): [AttentionKind, string, string][] => [
  ['encoder-self', t('Encoder self attention (bidirectional)'), t('Source × source: every source token reads every source token.')],
  ['decoder-self', t('Decoder self attention (causal)'), t('Target × target: target token i reads target tokens 0…i only.')],
  ['cross', t('Cross attention'), t('Target × source: q from the decoder, k and v from the encoder\'s output.')],
];

export interface Seq2SeqViewHandle {
  node: HTMLElement;
  draw(): void;
  translated(text: string): void;
  translateError(message: string): void;
}

export function seq2seqView(ins: Inspector, s: PanelSeq2Seq, openStep: (kind: StepAttention) => void): Seq2SeqViewHandle {
  const a = ins.a;
  const field = el('vscode-text-field', { id: 's2s-target', value: s.target, size: 40, placeholder: t('empty: the start token only') }, t('Target (what the decoder reads after its start token)'));
  const value = () => (field as unknown as { value: string }).value ?? '';
  const status = el('p', { id: 's2s-status', class: 'muted', role: 'status' });
  const run = () => { status.textContent = t('Running the decoder on the target…'); ins.post({ type: 'setTarget', target: value() }); };
  field.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') run(); });
  const form = el('div', { class: 'attention-pickers', id: 's2s-form' }, field,
    button(t('Run on target'), run, 'primary', 's2s-run'),
    button(t('Translate'), () => { status.textContent = t('Translating (greedy decoding)…'); ins.post({ type: 'requestTranslate', maxNewTokens: TRANSLATE_TOKENS }); }, 'secondary', 's2s-translate'));

  const source = a.tokens.map((x) => x.text), target = s.decoderTokens.map((x) => x.text);
  const labels = (kind: AttentionKind) => (kind === 'encoder-self' ? [source, source] : kind === 'decoder-self' ? [target, target] : [target, source]);
  const layouts = new Map<AttentionKind, RectLayout>();
  const canvases = new Map<AttentionKind, HTMLCanvasElement>();
  const hover = el('p', { id: 's2s-hover', class: 'muted', 'aria-live': 'polite' }, '\u00a0');
  const KINDS = kindTitles();
  const panels = el('div', { class: 'mask-grid', id: 's2s-panels' }, ...KINDS.map(([kind, title, note]) => {
    const c = el('canvas', { role: 'img', 'data-kind': kind, id: `s2s-${kind}` });
    canvases.set(kind, c);
    c.addEventListener('click', (e) => {
      const hit = layouts.get(kind) && rectCellAt(layouts.get(kind)!, c, e);
      if (hit) ins.update(kind === 'encoder-self' ? { query: hit.q, spanEnd: undefined } : { decoderQuery: hit.q });
    });
    c.addEventListener('mousemove', (e) => {
      const hit = layouts.get(kind) && rectCellAt(layouts.get(kind)!, c, e);
      if (!hit) return;
      const [rows, cols] = labels(kind);
      const { rows: R, cols: C } = kindMatrix(a, s, kind, ins.state.layer);
      const m = combined(kind);
      if (hit.q < R && hit.k < C) hover.textContent = t('{0}: query {1} “{2}” → key {3} “{4}”: weight {5}', title, hit.q, tokenLabel(rows[hit.q], 24), hit.k, tokenLabel(cols[hit.k], 24), m[hit.q * C + hit.k].toFixed(3));
    });
    return el('figure', { class: 'mask-panel', 'data-kind': kind },
      el('figcaption', {}, el('strong', {}, title), el('br'), note),
      el('div', { class: 'attention-scroll' }, c),
      button(t('Step trace'), () => openStep(kind), 'secondary', `s2s-step-${kind}`));
  }));
  const lines = crossLines((q) => ins.update({ decoderQuery: q }));
  const layerLine = el('p', { id: 's2s-layer' });
  const relative = relativeBiasView(ins, s);

  function combined(kind: AttentionKind): Float32Array {
    const { rows, cols, layer } = kindMatrix(a, s, kind, ins.state.layer);
    const heads = ins.state.heads.filter((h) => h < (kind === 'encoder-self' ? a.heads : s.heads));
    return combineHeads(layer, rows, cols, heads.length ? heads : [0], ins.state.aggregate);
  }

  function draw(): void {
    const st = ins.state;
    const dq = Math.min(st.decoderQuery ?? s.Td - 1, s.Td - 1);
    layerLine.textContent = t('Encoder layer {0}, decoder layer {1}; heads {2} ({3}). {4} source tokens, {5} target tokens.',
      Math.min(st.layer, a.layers - 1), Math.min(st.layer, s.layers - 1), st.heads.join(', '), t(st.aggregate), a.T, s.Td);
    const width = Math.max(200, Math.min(420, ((panels.clientWidth || 900) / 3) - 24));
    for (const [kind] of KINDS) {
      const { rows, cols } = kindMatrix(a, s, kind, st.layer);
      const [rowLabels, colLabels] = labels(kind);
      const c = canvases.get(kind)!;
      layouts.set(kind, drawRect(c, combined(kind), rows, cols, { cell: rectCell(cols, width), rowLabels, colLabels, row: kind === 'encoder-self' ? st.query : dq }));
      c.setAttribute('aria-label', t('{0}: {1} queries by {2} keys', KINDS.find((k) => k[0] === kind)![1], rows, cols));
      c.dataset.rows = String(rows);
      c.dataset.cols = String(cols);
    }
    lines.draw(combined('cross'), target, source, dq);
    relative?.draw();
  }

  ins.onChange(draw);
  return {
    node: el('section', { id: 's2s-view' },
      el('p', { class: 'muted' }, t('The selection is the source (the encoder reads it); the target is what the decoder reads. The Heads tab shows the encoder\'s self attention.')),
      form, status, layerLine, panels, hover,
      el('h4', {}, t('Cross attention: target tokens to source tokens')),
      el('p', { class: 'muted' }, t('Hover a target token on the left to see which source tokens it reads; click it to make it the query.')),
      // the model card's alignment head (bundled tiny-translator): a cross-attention head, so it is named here and not on the Heads tab
      ...a.namedHeads.filter((n) => !isSelfAttentionLabel(n.label)).map((n) => el('p', { class: 'muted', 'data-named': 'alignment' },
        t('Alignment head (model card): decoder layer {0}, head {1}. Its largest weight lands on the source word aligned to the target word being predicted for {2}% of held-out target words.', n.layer, n.head, (100 * n.score).toFixed(1)))),
      el('div', { class: 'lines-scroll' }, lines.node),
      ...(relative ? [relative.node] : [])),
    draw,
    translated(text) {
      (field as unknown as { value: string }).value = text;
      field.setAttribute('value', text);
      status.textContent = t('Translation: “{0}”. Running the decoder on it…', text);
      ins.post({ type: 'setTarget', target: text });
    },
    translateError(message) { status.textContent = message; status.setAttribute('class', 'error'); },
  };
}
