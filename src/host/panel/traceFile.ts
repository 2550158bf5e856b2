/**
 * Trace files: `{ "format": "transformer-tracer-trace", "version": 1, "attention":
 * PanelAttention }` with each layer's weights as a plain number array ([H·T·T]), written
 * by the webview's "Save trace" and read back here (no `vscode` import, so mocha tests it).
 * The architecture fields (kvHeads, rope, …) are optional: files saved before them still open.
 */
export const TRACE_FORMAT = 'transformer-tracer-trace';

/** Parse a trace file's text; typed arrays are rebuilt, the shape check is the caller's (isPanelAttention). */
export function parseTrace(text: string): unknown {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message})`);
  }
  const o = json as { format?: unknown; version?: unknown; attention?: { weights?: unknown } };
  if (o?.format !== TRACE_FORMAT) throw new Error(`"format" is not "${TRACE_FORMAT}"`);
  if (o.version !== 1) throw new Error(`trace version ${String(o.version)} is not supported (this version reads 1)`);
  const a = o.attention;
  if (!a || !Array.isArray(a.weights) || !a.weights.every((w) => Array.isArray(w) && w.every((v) => typeof v === 'number'))) throw new Error('"attention.weights" must be arrays of numbers');
  return { ...a, weights: (a.weights as number[][]).map((w) => Float32Array.from(w)), ...nextLogits((a as { nextLogits?: unknown }).nextLogits), ...seq2seq((a as { seq2seq?: unknown }).seq2seq) };
}

/** Encoder–decoders: the decoder's and the cross attention back as Float32Arrays (the shapes are isPanelAttention's to check). */
function seq2seq(v: unknown): { seq2seq?: unknown } {
  if (v === undefined) return {};
  const s = v as { decoderWeights?: unknown; crossWeights?: unknown };
  const lists = (w: unknown): w is number[][] => Array.isArray(w) && w.every((x) => Array.isArray(x) && x.every((n) => typeof n === 'number'));
  if (!lists(s.decoderWeights) || !lists(s.crossWeights)) throw new Error('"attention.seq2seq" needs decoderWeights and crossWeights as arrays of numbers');
  return { seq2seq: { ...s, decoderWeights: s.decoderWeights.map((w) => Float32Array.from(w)), crossWeights: s.crossWeights.map((w) => Float32Array.from(w)) } };
}

/**
 * The next-token logits back as a Float32Array: a number list (what Save trace writes), or
 * the `{"0": …, "1": …}` object JSON.stringify made of a Float32Array in files saved before.
 */
function nextLogits(v: unknown): { nextLogits?: Float32Array } {
  if (v === undefined) return {};
  const values = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : undefined;
  if (!values || !values.every((x) => typeof x === 'number')) throw new Error('"attention.nextLogits" must be an array of numbers');
  return { nextLogits: Float32Array.from(values as number[]) };
}

