/**
 * A whole attention result as a trace file's text (`{ format, version: 1, attention }`),
 * DOM-free so mocha round-trips it through the host's parseTrace (src/host/panel/traceFile.ts).
 * Typed arrays become number lists: JSON.stringify would write a Float32Array as {"0": …}.
 */
import type { PanelAttention } from '../../../src/shared/protocol';

export const TRACE_FORMAT = 'transformer-tracer-trace';

export function traceFileText(a: PanelAttention): string {
  const s = a.seq2seq;
  const attention = { ...a, weights: a.weights.map((w) => Array.from(w)), ...(a.nextLogits ? { nextLogits: Array.from(a.nextLogits) } : {}),
    ...(s ? { seq2seq: { ...s, decoderWeights: s.decoderWeights.map((w) => Array.from(w)), crossWeights: s.crossWeights.map((w) => Array.from(w)) } } : {}) };
  return JSON.stringify({ format: TRACE_FORMAT, version: 1, attention });
}
