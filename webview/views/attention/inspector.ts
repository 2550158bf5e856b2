/**
 * The Attention tab: the inspector for one model run on the selection. A toolbar (model,
 * layer, how heads combine, zoom, export, open a saved trace) over five views — Heads,
 * Model, Step trace, Masks, Positions — that share one state (state.ts).
 *
 * Keyboard (on the inspector): ←/→ or ↑/↓ move the query token, Shift extends a span,
 * 1–9 isolate that head, 0 selects every head, + / − zoom.
 */
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { MaskDemoAnswer } from '../../../src/shared/engineProtocol';
import { predictionsView } from './predictionsView';
import type { PanelAttention, WebviewToHost } from '../../../src/shared/protocol';
import { button, dropdown, tabs } from '../../components/toolkit';
import { el, tokenLabel } from '../../dom';
import { formatMs } from './duration';
import { t } from '../../l10n';
import { headExport, layerExport, pngExport, traceExport } from './exporter';
import { headView } from './headView';
import { aggregateHeads } from './matrix';
import { maskView } from './maskView';
import { modelView } from './modelView';
import { positionsView } from './positionsView';
import { cellSize, initialState, zoomStep, type Inspector, type InspectorState } from './state';
import { stepView } from './stepView';
import type { CodeStepKind } from '../../../src/shared/stepFocus';
import { seq2seqView, type Seq2SeqViewHandle } from '../seq2seq/seq2seqView';
import { seq2seqMasks } from '../seq2seq/seq2seqMasks';

export interface InspectorHandle {
  node: HTMLElement;
  step(s: StepTrace): void;
  stepError(message: string): void;
  maskDemo(r: MaskDemoAnswer): void;
  maskDemoError(message: string): void;
  /** The editor cursor is at this offset of the selection. */
  cursor(offset: number): void;
  state(): InspectorState;
  /** The node is in the document: paint the head view now. */
  mounted(): void;
  /** The colour theme changed: redraw the canvases in its colours. */
  repaint(): void;
  /** The code hover's link: open the step trace scrolled to this step (kept in the state until another view is picked). */
  focusStep(kind: CodeStepKind): void;
  /** Encoder–decoders: Translate's text (put in the target box) or why it failed. */
  translated(text: string): void;
  translateError(message: string): void;
}

export function renderInspector(a: PanelAttention, opts: { models: string[]; model: string; saved?: Partial<InspectorState>; post: (m: WebviewToHost) => void; persist: (s: InspectorState) => void }): InspectorHandle {
  const started = performance.now();
  const listeners: (() => void)[] = [];
  let state = initialState(a, opts.saved);
  let lastStep: StepTrace | undefined;
  let viewIndex = 0;
  const ins: Inspector = {
    a,
    get state() { return state; },
    get step() { return lastStep; },
    update(patch) {
      const before = state;
      state = { ...state, ...patch };
      opts.persist(state);
      for (const l of listeners) l();
      // The step trace is a forward pass: ask again only when its layer, head or query changed (not on zoom).
      if (viewIndex >= 2 && viewIndex <= 4 && (state.layer !== before.layer || state.heads[0] !== before.heads[0] || state.query !== before.query
        || state.attention !== before.attention || state.decoderQuery !== before.decoderQuery)) steps.request();
    },
    post: opts.post,
    onChange(listener) { listeners.push(listener); },
  };

  // Only the head view is built at once (it is what the first paint shows); the others
  // are built the first time their tab opens.
  const heads = headView(ins);
  const steps = stepView(ins);
  const masks: { node: HTMLElement; show(s: StepTrace): void } = a.seq2seq ? seq2seqMasks(ins, a.seq2seq) : maskView(a);
  // Encoder–decoders: the three attentions side by side, built when their tab first opens.
  const s2sBox = el('div');
  let s2s: Seq2SeqViewHandle | undefined;
  let positions: ReturnType<typeof positionsView> | undefined;
  const modelBox = el('div'), positionsBox = el('div'), predictionsBox = el('div');
  let predictions: ReturnType<typeof predictionsView> | undefined;
  const views = tabs('inspector', [
    [t('Heads'), heads.node],
    [t('Model'), modelBox],
    [t('Step trace'), steps.node],
    [t('Masks'), masks.node],
    [t('Positions'), positionsBox],
    [t('Predictions'), predictionsBox],
    ...(a.seq2seq ? [[t('Encoder–decoder'), s2sBox] as [string, HTMLElement]] : []),
  ], (i) => {
    if (i === 6 && a.seq2seq && !s2s) {
      // Step trace: the state first (no request while viewIndex says another tab), then the tab and one request.
      s2s = seq2seqView(ins, a.seq2seq, (kind) => { viewIndex = -1; ins.update({ attention: kind }); viewIndex = 2; views.select(2); steps.request(); });
      s2sBox.append(s2s.node);
      requestAnimationFrame(() => s2s!.draw());
    }
    viewIndex = i;
    if (i !== 2 && state.stepFocus) { state = { ...state, stepFocus: undefined }; opts.persist(state); }
    if (i === 1 && !modelBox.firstChild) modelBox.append(modelView(ins, () => views.select(0)));
    if (i === 4 && !positions) {
      positions = positionsView(a);
      positionsBox.append(positions.node);
      if (lastStep) positions.show(lastStep);
    }
    if (i === 5 && !predictions) {
      predictions = predictionsView(a, opts.post);
      predictionsBox.append(predictions.node);
    }
    if (i >= 2 && i <= 4) steps.request();
  });

  /** Select the Step trace view; the tab's change event asks for the trace (once), else ask here. */
  const openStepTrace = () => {
    views.select(2);
    if (viewIndex !== 2) { viewIndex = 2; steps.request(); }
  };

  const models = dropdown('attention-model', t('Model'), opts.models, opts.model, (name) => opts.post({ type: 'pickModel', name }));
  const layerPick = dropdown('attention-layer', t('Layer'), Array.from({ length: a.layers }, (_, i) => String(i)), String(state.layer), (v) => ins.update({ layer: Number(v) }));
  const aggregate = dropdown('attention-aggregate', t('Combine heads'), ['mean', 'max'], state.aggregate, (v) => ins.update({ aggregate: v === 'max' ? 'max' : 'mean' }));
  const combined = () => aggregateHeads(a.weights[state.layer], a.T, state.heads, state.aggregate);
  const toolbar = el('div', { class: 'attention-pickers', role: 'toolbar' }, models, layerPick, aggregate,
    button('−', () => ins.update({ zoom: zoomStep(state, currentCell(), -1) }), 'secondary', 'zoom-out'),
    button('+', () => ins.update({ zoom: zoomStep(state, currentCell(), 1) }), 'secondary', 'zoom-in'),
    button(t('PNG'), () => { const c = document.getElementById('head-heatmap') as HTMLCanvasElement | null; if (c) opts.post(pngExport(c, `${a.model}-L${state.layer}-H${state.heads.join('_')}`)); }, 'secondary', 'export-png'),
    button(t('CSV'), () => opts.post(headExport(a, state.layer, state.heads, state.aggregate, combined(), 'csv')), 'secondary', 'export-csv'),
    button(t('JSON'), () => opts.post(headExport(a, state.layer, state.heads, state.aggregate, combined(), 'json')), 'secondary', 'export-json'),
    button(t('Layer JSON'), () => opts.post(layerExport(a, state.layer)), 'secondary', 'export-layer'),
    button(t('Save trace'), () => opts.post(traceExport(a)), 'secondary', 'export-trace'),
    button(t('Open trace…'), () => opts.post({ type: 'openTrace' }), 'secondary', 'open-trace'));
  /** The cell size that fits the heatmap's box now (what "fit" means for the zoom steps). */
  const currentCell = () => { const c = document.getElementById('head-heatmap'); return c?.dataset.fit ? Number(c.dataset.fit) : cellSize({ ...state, zoom: 0 }, a.T, 700); };

  const summary = [
    a.nextTokenTop?.length ? el('p', { id: 'attention-next' }, t('Next token:'), ' ', ...a.nextTokenTop.slice(0, 5).map((e) => el('code', { title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, tokenLabel(e.text ?? `#${e.id}`)))) : el('span'),
    ...(a.maskTop ?? []).map((m) => el('p', { class: 'attention-mask' }, t('[MASK] at {0}:', m.pos), ' ', ...m.top.slice(0, 5).map((e) => el('code', { title: `id ${e.id} · logit ${e.logit.toFixed(2)}` }, tokenLabel(e.text ?? `#${e.id}`))))),
  ];
  const describe = (paintMs?: number) => [a.model, a.description, t('{0} tokens', a.T),
    ...(a.forwardMs > 0 ? [t('forward pass {0}', formatMs(a.forwardMs))] : []),
    ...(paintMs !== undefined ? [t('drawn in {0}', formatMs(paintMs))] : [])].filter((x) => x).join(' · ');
  const description = el('p', { class: 'muted', id: 'attention-timing' }, describe());
  const node = el('section', { id: 'attention', tabindex: 0, 'aria-label': t('Attention inspector. Arrow keys move the query token; number keys pick a head.') },
    description,
    a.notice ? el('p', { class: 'notice', role: 'note' }, a.notice) : el('span'),
    toolbar, ...summary, views.node);

  node.addEventListener('keydown', (e) => {
    if ((e.target as HTMLElement).closest('vscode-dropdown, vscode-button, input')) return;
    const k = e.key;
    const move = k === 'ArrowRight' || k === 'ArrowDown' ? 1 : k === 'ArrowLeft' || k === 'ArrowUp' ? -1 : 0;
    if (move) {
      e.preventDefault();
      if (e.shiftKey) ins.update({ spanEnd: Math.max(0, Math.min(a.T - 1, (state.spanEnd ?? state.query) + move)) });
      else ins.update({ query: Math.max(0, Math.min(a.T - 1, state.query + move)), spanEnd: undefined });
    } else if (/^[1-9]$/.test(k) && Number(k) <= a.heads) ins.update({ heads: [Number(k) - 1] });
    else if (k === '0') ins.update({ heads: Array.from({ length: a.heads }, (_, i) => i) });
    else if (k === '+' || k === '=') ins.update({ zoom: zoomStep(state, currentCell(), 1) });
    else if (k === '-') ins.update({ zoom: zoomStep(state, currentCell(), -1) });
  });

  return {
    node,
    step(s) { lastStep = s; steps.show(s); masks.show(s); positions?.show(s); },
    stepError(message) { steps.error(message); },
    maskDemo(r) { predictions?.maskDemo(r); },
    maskDemoError(message) { predictions?.maskDemoError(message); },
    cursor(offset) {
      const i = a.tokens.findIndex((x) => x.start !== undefined && x.end !== undefined && offset >= x.start && offset < x.end);
      if (i >= 0 && i !== state.query) ins.update({ query: i, spanEnd: undefined });
    },
    state: () => state,
    mounted: () => {
      heads.draw();
      if (state.stepFocus) openStepTrace();
      // What the panel's own work took: from the message to the head view drawn (the
      // browser's raster follows); the forward pass is the engine's, when it says.
      description.textContent = describe(performance.now() - started);
    },
    repaint: () => ins.update({}),
    focusStep(kind) {
      ins.update({ stepFocus: kind });
      if (viewIndex === 2) steps.focus(); else openStepTrace();
    },
    translated(text) { s2s?.translated(text); },
    translateError(message) { s2s?.translateError(message); },
  };
}
