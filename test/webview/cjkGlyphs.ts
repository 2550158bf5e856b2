/**
 * Does Chinese render with real glyphs, or as empty "tofu" boxes? Checked in the page, in
 * the font the panel uses: each distinct Han character of an element's text is drawn
 * to a canvas in that element's computed font, next to two characters no font has a
 * glyph for (U+FFFF, a noncharacter, and U+E000, private use), which render as the
 * missing-glyph box. Real glyphs differ from that box and from each other; without a
 * CJK font every character is the same box. Used by the harness (run.ts) and the e2e
 * (workbench.mjs, in the webview's frame).
 */

export interface GlyphReport {
  font: string;
  /** The distinct Han characters checked. */
  chars: string;
  /** Characters drawn as the missing-glyph box. */
  tofu: string;
  /** Characters whose pixels equal an earlier character's. */
  duplicates: string;
  /** Why nothing could be checked (no element, no Han characters). */
  problem?: string;
}

/** In-page code as a string, called with a CSS selector: returns a GlyphReport. */
export const CJK_GLYPH_CHECK = `(selector) => {
  const el = document.querySelector(selector);
  if (!el) return { font: '', chars: '', tofu: '', duplicates: '', problem: 'no element ' + selector };
  const chars = [...new Set((el.textContent.match(/\\p{Script=Han}/gu) ?? []))].join('');
  const s = getComputedStyle(el);
  const font = s.fontWeight + ' 40px ' + s.fontFamily;
  if (!chars) return { font, chars, tofu: '', duplicates: '', problem: 'no Han characters in ' + selector + ': ' + el.textContent.slice(0, 60) };
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 48;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const pixels = (ch) => {
    ctx.clearRect(0, 0, 48, 48); ctx.font = font; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(ch, 4, 4);
    const d = ctx.getImageData(0, 0, 48, 48).data;
    let key = ''; for (let i = 3; i < d.length; i += 4) key += d[i] > 127 ? '1' : '0';
    return key;
  };
  const boxes = new Set([pixels('\\uFFFF'), pixels('\\uE000')]);
  const seen = new Set();
  let tofu = '', duplicates = '';
  for (const ch of chars) {
    const p = pixels(ch);
    if (boxes.has(p) || !p.includes('1')) tofu += ch;
    else if (seen.has(p)) duplicates += ch;
    seen.add(p);
  }
  return { font, chars, tofu, duplicates };
}`;

/** A one-line verdict, or undefined when every character has its own real glyph. */
export function glyphProblem(r: GlyphReport): string | undefined {
  if (r.problem) return r.problem;
  if (r.tofu || r.duplicates) return `in ${r.font}: ${r.tofu.length} of ${r.chars.length} Han characters render as the missing-glyph box (${r.tofu})${r.duplicates ? `, ${r.duplicates.length} look like another (${r.duplicates})` : ''}: is a CJK font (fonts-noto-cjk) installed?`;
  return undefined;
}
