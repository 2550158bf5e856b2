/**
 * A duration for people to read, with the precision it deserves: tiny-gpt's forward pass
 * on a sentence takes well under a millisecond, which `toFixed(0)` printed as "0 ms".
 * 0.4237 → "0.42 ms"; 3.456 → "3.5 ms"; 123.4 → "123 ms"; 0.004 → "< 0.01 ms".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 0.01) return '< 0.01 ms';
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 10) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}
