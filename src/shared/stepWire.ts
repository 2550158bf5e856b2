/**
 * A step trace as it crosses VS Code's host → webview channel. The channel writes plain
 * arrays as JSON (typed arrays travel as bytes), so a masked key's −∞ in `mask`, `masked`
 * and `shifted` arrives as null; the webview puts −∞ back before drawing the trace (a
 * query before the last one has masked keys in a causal model).
 */
import type { StepTrace } from './inspectTypes';

/** The trace's per-key arrays that hold −∞ for a masked key (and only finite numbers else). */
const MINUS_INFINITY_FIELDS = ['mask', 'masked', 'shifted'] as const;

/** The trace with the −∞ that JSON made null restored (the trace itself when none was). */
export function reviveStepTrace(s: StepTrace): StepTrace {
  let out = s;
  for (const f of MINUS_INFINITY_FIELDS) {
    const row = s[f] as readonly (number | null)[] | undefined;
    if (!Array.isArray(row) || !row.includes(null)) continue;
    out = { ...out, [f]: row.map((v) => (v === null ? -Infinity : v)) };
  }
  return out;
}
