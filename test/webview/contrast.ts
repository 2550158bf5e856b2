/**
 * WCAG 2.x contrast of the panel's text, checked in the page (run.ts, in each theme).
 * Every visible text node — in the document and in the toolkit components' shadow roots
 * — is measured: its colour (the computed `color` of the element it renders in, through
 * slots as the browser renders it) against its effective background (the first opaque
 * `background-color` up the rendered tree, with the translucent ones in between
 * composited on it). AA asks 4.5:1 for normal text and 3:1 for large text (≥ 24 px, or
 * ≥ 18.66 px bold); text of disabled controls is exempt (WCAG 1.4.3).
 * References: https://www.w3.org/TR/WCAG22/#contrast-minimum and the definitions of
 * "relative luminance" and "contrast ratio" there.
 *
 * Canvas-drawn text (heatmap and lines-view labels) is not text in the DOM and is not
 * checked here; it is drawn in --vscode-foreground on the transparent canvas, i.e. the
 * same pair as the body text, which this check covers.
 */
import type { Page } from 'playwright-core';

export interface ContrastFailure {
  element: string;
  text: string;
  colour: string;
  background: string;
  ratio: number;
  required: number;
  /** How many text nodes share this element description, colours and ratio. */
  count: number;
}

export interface ContrastReport {
  failures: ContrastFailure[];
  /** Text nodes measured. */
  checked: number;
  /** The lowest-contrast text that passed or failed, for the log. */
  lowest?: Omit<ContrastFailure, 'count'>;
}

/** In-page code as a string (see run.ts on why not a function): returns a ContrastReport. */
export const CONTRAST_CHECK = `() => {
  const parse = (c) => {
    let m = c.match(/^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3]), m[4] === undefined ? 1 : Number(m[4])];
    m = c.match(/^color\\(srgb ([\\d.]+) ([\\d.]+) ([\\d.]+)(?: \\/ ([\\d.]+))?\\)$/);
    if (m) return [255 * m[1], 255 * m[2], 255 * m[3], m[4] === undefined ? 1 : Number(m[4])];
    throw new Error('contrast: cannot read the colour ' + c);
  };
  /** fg (with alpha) over an opaque bg. */
  const over = (fg, bg) => [0, 1, 2].map((i) => fg[i] * fg[3] + bg[i] * (1 - fg[3])).concat(1);
  const channel = (v) => { const c = v / 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (c) => 0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
  const ratio = (a, b) => { const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
  const hex = (c) => '#' + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  /** The parent in the rendered (flat) tree: a slotted node's slot, a shadow root's host. */
  const up = (n) => n.assignedSlot ?? n.parentElement ?? (n.parentNode instanceof ShadowRoot ? n.parentNode.host : null);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = up(e)) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1]; // the canvas colour under everything when nothing is opaque
    for (const c of layers.reverse()) bg = over(c, bg);
    return bg;
  };
  const describe = (el) => {
    const host = el.getRootNode() instanceof ShadowRoot ? el.getRootNode().host : undefined;
    const one = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + [...e.classList].slice(0, 2).map((c) => '.' + c).join('');
    return (host ? one(host) + ' › ' : '') + one(el);
  };
  const roots = [document];
  for (let i = 0; i < roots.length; i++) for (const e of roots[i].querySelectorAll('*')) if (e.shadowRoot) roots.push(e.shadowRoot);
  const failures = new Map();
  let checked = 0, lowest;
  for (const root of roots) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const el = up(node);
      if (!el || ['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName)) continue;
      const range = document.createRange(); range.selectNodeContents(node);
      const box = range.getBoundingClientRect(); // zero for text that is not rendered (hidden tabs, a slot's unused fallback)
      if (box.width < 1 || box.height < 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible') continue;
      let opacity = 1, disabled = false;
      for (let e = el; e; e = up(e)) {
        opacity *= Number(getComputedStyle(e).opacity);
        if (e.matches?.('[disabled], [aria-disabled="true"]')) disabled = true;
      }
      if (opacity === 0 || disabled) continue;
      const bg = background(el);
      const c = parse(style.color);
      const fg = over([c[0], c[1], c[2], c[3] * opacity], bg);
      const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
      const required = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
      const r = ratio(fg, bg);
      checked++;
      if (!lowest || r / required < lowest.ratio / lowest.required) lowest = { element: describe(el), text: node.textContent.trim().slice(0, 40), colour: hex(fg), background: hex(bg), ratio: Math.round(r * 100) / 100, required };
      if (r + 1e-9 >= required) continue;
      const key = [describe(el), hex(fg), hex(bg), r.toFixed(2)].join('|');
      const f = failures.get(key);
      if (f) f.count++;
      else failures.set(key, { element: describe(el), text: node.textContent.trim().slice(0, 40), colour: hex(fg), background: hex(bg), ratio: Math.round(r * 100) / 100, required, count: 1 });
    }
  }
  return { failures: [...failures.values()], checked, lowest };
}`;

/** The page's text measured against WCAG AA, as the check above finds it. */
export async function contrastReport(page: Page): Promise<ContrastReport> {
  return page.evaluate((code) => (0, eval)(code)(), CONTRAST_CHECK) as Promise<ContrastReport>;
}

/** The page's text that misses WCAG AA. */
export async function contrastFailures(page: Page): Promise<ContrastFailure[]> {
  return (await contrastReport(page)).failures;
}

/** One line per failure: `where: span.token "fox" #9d9d9d on #2b3a52 = 3.10:1 (needs 4.5) ×3`. */
export function formatFailures(where: string, failures: ContrastFailure[]): string[] {
  return failures.map((f) => `${where}: ${f.element} ${JSON.stringify(f.text)} ${f.colour} on ${f.background} = ${f.ratio.toFixed(2)}:1 (needs ${f.required})${f.count > 1 ? ` ×${f.count}` : ''}`);
}
