/**
 * Characters beyond ASCII with their UTF-8 bytes, for the trace view's byte-level BPE line:
 * `好 → E5 A5 BD` (RFC 3629: U+597D is three bytes, 1110xxxx 10xxxxxx 10xxxxxx). Each distinct
 * character once, in order, at most `max` of them. Pure (no DOM), so the panel tests call it.
 */
export function utf8Characters(text: string, max = 12): string[] {
  const enc = new TextEncoder();
  return [...new Set([...text].filter((ch) => ch.codePointAt(0)! > 0x7f))].slice(0, max)
    .map((ch) => `${ch} → ${[...enc.encode(ch)].map((b) => b.toString(16).toUpperCase().padStart(2, '0')).join(' ')}`);
}
