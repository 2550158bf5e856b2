/**
 * What the attention inspector is looking at, shared by its views: the layer, the set of
 * heads, how they are combined, the query token (or span), the zoom. Changes go through
 * `update`, which notifies every view; the state is kept across reloads with setState.
 */
import type { PanelAttention, WebviewToHost } from '../../../src/shared/protocol';
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { Aggregate } from './matrix';
import type { StepAttention } from '../../../src/shared/seq2seqProtocol';
import { isCodeStepKind, type CodeStepKind } from '../../../src/shared/stepFocus';

export interface InspectorState {
  layer: number;
  heads: number[];
  aggregate: Aggregate;
  query: number;
  /** With shift-click: the other end of a span of query tokens. */
  spanEnd?: number;
  /** Pixels per cell; 0 means "fit the width". */
  zoom: number;
  /** Encoder–decoders: which attention the step trace follows, and the decoder position for decoder-self and cross. */
  attention?: StepAttention;
  decoderQuery?: number;
  /** Set by the code hover's link: the step trace is open and scrolled to this step, until another view is picked. */
  stepFocus?: CodeStepKind;
}

export interface Inspector {
  readonly a: PanelAttention;
  readonly state: Readonly<InspectorState>;
  readonly step?: StepTrace;
  update(patch: Partial<InspectorState>): void;
  post(msg: WebviewToHost): void;
  onChange(listener: () => void): void;
}

export function initialState(a: PanelAttention, saved?: Partial<InspectorState>): InspectorState {
  const ok = (n: unknown, max: number): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n < max;
  const heads = Array.isArray(saved?.heads) ? saved!.heads.filter((h) => ok(h, a.heads)) : [];
  return {
    layer: ok(saved?.layer, a.layers) ? saved!.layer : 0,
    heads: heads.length ? heads : [0],
    aggregate: saved?.aggregate === 'max' ? 'max' : 'mean',
    query: ok(saved?.query, a.T) ? saved!.query : a.T - 1,
    zoom: typeof saved?.zoom === 'number' && saved.zoom >= 0 && saved.zoom <= 64 ? saved.zoom : 0,
    ...(isCodeStepKind(saved?.stepFocus) ? { stepFocus: saved.stepFocus } : {}),
    ...(a.seq2seq ? { attention: saved?.attention === 'cross' || saved?.attention === 'decoder-self' ? saved.attention : 'encoder-self', decoderQuery: ok(saved?.decoderQuery, a.seq2seq.Td) ? saved!.decoderQuery : a.seq2seq.Td - 1 } : {}),
  };
}

/** The query rows in play: the span when one is selected, else the single query. */
export function queryRows(s: InspectorState): number[] {
  if (s.spanEnd === undefined) return [s.query];
  const [a, b] = s.query <= s.spanEnd ? [s.query, s.spanEnd] : [s.spanEnd, s.query];
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Cells this size and up get token labels, which take LABEL_MARGIN pixels (heatmap.ts LABEL_SPACE + 4). */
export const LABELLED_CELL = 9;
const LABEL_MARGIN = 100;

/**
 * Cell size for T tokens: the zoom, or the largest that fits `width` pixels. Labelled
 * (9–28 px, with their margin) when that fits; else whole pixels without labels; and
 * when even one pixel a token is too wide, a fraction (the heatmap max-pools the cells),
 * so the matrix always fits its box: T = 20 in 340 px → 12; T = 30 → 8; T = 1,024 → 0.33.
 */
export function cellSize(s: InspectorState, T: number, width: number): number {
  if (s.zoom > 0) return s.zoom;
  const labelled = Math.floor((width - LABEL_MARGIN) / T);
  if (labelled >= LABELLED_CELL) return Math.min(28, labelled);
  const bare = Math.max(1, width - 4) / T;
  return bare >= 1 ? Math.min(LABELLED_CELL - 1, Math.floor(bare)) : bare;
}

/**
 * The zoom after one press of + (dir 1) or − (dir −1), from `fit`, the cell size that
 * fits the box: steps of 2 px up to 64; stepping down to the fit (or below) returns 0,
 * "fit the width" again. From a fit of 0.33: + → 3, + → 5; 5, − → 3, − → 1, − → 0.
 */
export function zoomStep(s: InspectorState, fit: number, dir: 1 | -1): number {
  const current = s.zoom || fit;
  const next = dir > 0 ? Math.min(64, Math.max(1, Math.floor(current)) + 2) : Math.floor(current) - 2;
  return next <= fit ? 0 : next;
}
