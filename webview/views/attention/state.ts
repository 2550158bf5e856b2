/**
 * What the attention inspector is looking at, shared by its views: the layer, the set of
 * heads, how they are combined, the query token (or span), the zoom. Changes go through
 * `update`, which notifies every view; the state is kept across reloads with setState.
 */
import type { PanelAttention, WebviewToHost } from '../../../src/shared/protocol';
import type { StepTrace } from '../../../src/shared/inspectTypes';
import type { Aggregate } from './matrix';

export interface InspectorState {
  layer: number;
  heads: number[];
  aggregate: Aggregate;
  query: number;
  /** With shift-click: the other end of a span of query tokens. */
  spanEnd?: number;
  /** Pixels per cell; 0 means "fit the width". */
  zoom: number;
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
  };
}

/** The query rows in play: the span when one is selected, else the single query. */
export function queryRows(s: InspectorState): number[] {
  if (s.spanEnd === undefined) return [s.query];
  const [a, b] = s.query <= s.spanEnd ? [s.query, s.spanEnd] : [s.spanEnd, s.query];
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/** Cell size for T tokens: the zoom, or the largest that fits `width` pixels (1–28). */
export function cellSize(s: InspectorState, T: number, width: number): number {
  if (s.zoom > 0) return s.zoom;
  return Math.max(1, Math.min(28, Math.floor((width - 100) / T)));
}
