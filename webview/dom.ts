/**
 * DOM helpers for the panel. Text from tokens, files or errors is data: it goes in with
 * `textContent`, never `innerHTML`, so a token like `<img onerror=…>` renders literally.
 */
import { capped, TOKEN_TEXT_MAX } from './capped';
import { markWhitespace } from '../src/shared/visibleText';

export { capped, TOKEN_TEXT_MAX };

type Attrs = Record<string, string | number | boolean | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs, ...children: (Node | string)[]): HTMLElementTagNameMap[K];
export function el(tag: string, attrs?: Attrs, ...children: (Node | string)[]): HTMLElement;
export function el(tag: string, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') node.className = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

export function clear(node: Element): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Show invisible characters in token text: space `␣`, newline `⏎`, tab `→` (the CLI's markers). */
export const visible = markWhitespace;

/** A token as the panel labels it: whitespace and controls made visible, then capped. */
export function tokenLabel(s: string, max = TOKEN_TEXT_MAX): string {
  return capped(visible(s), max);
}

export function hex(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}
