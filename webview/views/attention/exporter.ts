/**
 * Exports from the inspector: the current head (or heads combined) or the whole layer as
 * PNG, CSV or JSON, and the whole trace as JSON the panel can open again. The webview
 * makes the content; the host asks where to save it (`export` message).
 */
import type { PanelAttention, WebviewToHost } from '../../../src/shared/protocol';
import { matrixCsv } from './matrix';
import { traceFileText } from './traceJson';

export { TRACE_FORMAT } from './traceJson';

const rows = (m: Float32Array, T: number) => Array.from({ length: T }, (_, q) => Array.from(m.subarray(q * T, (q + 1) * T)));
const safe = (s: string) => s.replace(/[^\w.-]+/g, '_').slice(0, 60) || 'model';

export function headExport(a: PanelAttention, layer: number, heads: number[], aggregate: string, m: Float32Array, format: 'csv' | 'json'): WebviewToHost {
  const name = `${safe(a.model)}-L${layer}-H${heads.join('_')}${heads.length > 1 ? `-${aggregate}` : ''}`;
  const tokens = a.tokens.map((x) => x.text);
  if (format === 'csv') return { type: 'export', format, fileName: `${name}.csv`, data: matrixCsv(m, tokens) };
  return { type: 'export', format, fileName: `${name}.json`, data: JSON.stringify({ model: a.model, layer, heads, aggregate: heads.length > 1 ? aggregate : undefined, tokens, attention: rows(m, a.T) }) };
}

/** Every head of one layer: JSON [H][T][T]. */
export function layerExport(a: PanelAttention, layer: number): WebviewToHost {
  const T = a.T, w = a.weights[layer];
  const heads = Array.from({ length: a.heads }, (_, h) => rows(w.subarray(h * T * T, (h + 1) * T * T), T));
  return { type: 'export', format: 'json', fileName: `${safe(a.model)}-L${layer}.json`, data: JSON.stringify({ model: a.model, layer, tokens: a.tokens.map((x) => x.text), attention: heads }) };
}

export function pngExport(canvas: HTMLCanvasElement, fileName: string): WebviewToHost {
  return { type: 'export', format: 'png', fileName: `${safe(fileName)}.png`, data: canvas.toDataURL('image/png') };
}

/** The whole trace, reopened by the host's openTrace (src/host/panel/exports.ts). */
export function traceExport(a: PanelAttention): WebviewToHost {
  return { type: 'export', format: 'json', fileName: `${safe(a.model)}-trace.json`, data: traceFileText(a) };
}
