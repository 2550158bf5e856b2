/**
 * The value of a string literal node, for Python (`string`, `concatenated_string`) and
 * TypeScript/JavaScript (`string`, `template_string` without substitutions). Undefined
 * for literals whose value is not fixed text: f-strings with `{…}`, templates with
 * `${…}`, bytes (`b"…"`). Escapes are decoded; raw strings (`r"\n"`) keep them.
 *   "a\tb"  → a<TAB>b        r"a\tb" → a\tb        'caf\u00e9' → café
 */
import type { Node } from 'web-tree-sitter';

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };

/** `\n`, `\x41`, `\u00e9`, `\U0001F600`, `\u{1F600}` → the character; unknown escapes stay as written (Python's rule). */
export function decodeEscape(esc: string): string {
  const body = esc.slice(1);
  if (body in SIMPLE) return SIMPLE[body];
  const hex = /^(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|u\{([0-9a-fA-F]{1,6})\})$/.exec(body);
  if (hex) {
    const cp = parseInt(hex[1] ?? hex[2] ?? hex[3] ?? hex[4], 16);
    return cp <= 0x10ffff ? String.fromCodePoint(cp) : esc;
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(parseInt(body, 8));
  return esc;
}

function pythonString(node: Node): string | undefined {
  const start = node.firstChild;
  const prefix = start?.type === 'string_start' ? start.text.replace(/["']+$/, '').toLowerCase() : '';
  if (prefix.includes('b')) return undefined;
  const raw = prefix.includes('r');
  let out = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'interpolation') return undefined;
    if (part.type !== 'string_content') continue;
    if (raw) { out += part.text; continue; }
    // escape_sequence nodes sit inside string_content: copy the text around them, decode them
    let at = part.startIndex;
    const text = part.text;
    for (const esc of part.namedChildren) {
      if (!esc || esc.type !== 'escape_sequence') continue;
      out += text.slice(at - part.startIndex, esc.startIndex - part.startIndex) + decodeEscape(esc.text);
      at = esc.endIndex;
    }
    out += text.slice(at - part.startIndex);
  }
  return out;
}

function scriptString(node: Node): string | undefined {
  let out = '';
  for (const part of node.namedChildren) {
    if (!part) continue;
    if (part.type === 'template_substitution') return undefined;
    if (part.type === 'string_fragment') out += part.text;
    else if (part.type === 'escape_sequence') out += decodeEscape(part.text);
  }
  return out;
}

/** The literal's text, or undefined when `node` is not a fixed string. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'concatenated_string': {
      let out = '';
      for (const part of node.namedChildren) {
        const v = stringValue(part);
        if (v === undefined) return undefined;
        out += v;
      }
      return out;
    }
    case 'string': return node.firstChild?.type === 'string_start' ? pythonString(node) : scriptString(node);
    case 'template_string': return scriptString(node);
    case 'parenthesized_expression': return node.namedChildCount === 1 ? stringValue(node.namedChild(0)) : undefined;
    default: return undefined;
  }
}

export function isStringNode(node: Node | null | undefined): boolean {
  return !!node && (node.type === 'string' || node.type === 'concatenated_string' || node.type === 'template_string');
}
