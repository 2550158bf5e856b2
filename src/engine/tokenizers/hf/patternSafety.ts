/**
 * Refuse `tokenizer.json` patterns (Split, Replace) that a backtracking regex engine —
 * JavaScript's included — can take exponential time on. Hugging Face compiles them with
 * Oniguruma, which backtracks too, but a file can come from anyone: `(a+)+$` on
 * `aaaa…a!` never returns, and a regex cannot be interrupted in the thread it runs in.
 *
 * The two shapes behind exponential backtracking (Davis et al., "The impact of regular
 * expression denial of service (ReDoS) in practice", FSE 2018; the "star height" test of
 * safe-regex) are both a repetition (a quantifier allowing more than one pass) of a body
 * that can match the same text in more than one way:
 *   - nested repetition: the body holds a variable quantifier, `(a+)+`, `(\s*x)*`, `(.*a){20}`;
 *   - overlapping alternation: branches that can start with the same character, `(a|aa)+`,
 *     `(\w|\d)*`. Branches are compared by their first literal character; a class, an
 *     escape or `.` counts as "could be anything", so the test errs on the side of refusing.
 * The patterns Hub tokenizers use (GPT-2, cl100k, o200k, Llama 3, Qwen, DeepSeek V3, Gemma)
 * have neither: their only quantified group is `(?i:'s|'t|…)?`, which repeats at most once.
 * Polynomial slowness (`\s+(?!\S)` on a long run of spaces) is not refused; the panel's
 * worker runs under a time budget for that (host/engineClient.ts).
 */

type Node =
  | { kind: 'atom'; first: string | 'any' | 'none' } // a character, a class (any) or a zero-width assertion (none)
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; branches: Node[] }
  | { kind: 'rep'; min: number; max: number; body: Node; text: string };

/** Why `source` risks exponential time, or undefined when it has neither shape. */
export function exponentialRisk(source: string): string | undefined {
  let ast: Node;
  try { ast = new Parser(source).parse(); } catch { return undefined; } // RegExp itself reports syntax errors
  return findRisk(ast);
}

function findRisk(n: Node): string | undefined {
  switch (n.kind) {
    case 'atom': return undefined;
    case 'seq': for (const x of n.items) { const r = findRisk(x); if (r) return r; } return undefined;
    case 'alt': for (const x of n.branches) { const r = findRisk(x); if (r) return r; } return undefined;
    case 'rep':
      if (n.max > 1) {
        const inner = firstVariableRep(n.body);
        if (inner) return `"${n.text}" repeats "${inner.text}", which repeats itself (nested quantifiers)`;
        const alt = overlappingAlternation(n.body);
        if (alt) return `"${n.text}" repeats an alternation whose branches can match the same text (${alt})`;
      }
      return findRisk(n.body);
  }
}

function firstVariableRep(n: Node): Extract<Node, { kind: 'rep' }> | undefined {
  switch (n.kind) {
    case 'atom': return undefined;
    case 'seq': for (const x of n.items) { const r = firstVariableRep(x); if (r) return r; } return undefined;
    case 'alt': for (const x of n.branches) { const r = firstVariableRep(x); if (r) return r; } return undefined;
    case 'rep': return n.min !== n.max ? n : firstVariableRep(n.body);
  }
}

/** `"a" and "a"` for `a|aa`; undefined when every pair of branches starts differently. */
function overlappingAlternation(n: Node): string | undefined {
  if (n.kind === 'seq') { for (const x of n.items) { const r = overlappingAlternation(x); if (r) return r; } return undefined; }
  if (n.kind === 'rep') return overlappingAlternation(n.body);
  if (n.kind !== 'alt') return undefined;
  const firsts = n.branches.map(firstChar);
  for (let i = 0; i < firsts.length; i++) {
    for (let j = i + 1; j < firsts.length; j++) {
      const a = firsts[i], b = firsts[j];
      if (a === 'any' || b === 'any' || a === b) return `branches ${i + 1} and ${j + 1} can both start with ${a === 'any' ? (b === 'any' ? 'the same character' : JSON.stringify(b)) : JSON.stringify(a)}`;
    }
  }
  for (const b of n.branches) { const r = overlappingAlternation(b); if (r) return r; }
  return undefined;
}

/** The first character a node matches: a literal, 'any' (a class, or unknown) or 'none' (empty). */
function firstChar(n: Node): string | 'any' | 'none' {
  switch (n.kind) {
    case 'atom': return n.first;
    case 'rep': return n.min === 0 ? 'any' : firstChar(n.body);
    case 'alt': {
      const fs = n.branches.map(firstChar);
      return fs.every((f) => f === fs[0]) ? fs[0] : 'any';
    }
    case 'seq':
      for (const x of n.items) { const f = firstChar(x); if (f !== 'none') return f; }
      return 'none';
  }
}

/** A small recursive-descent reader of JavaScript/Oniguruma regex syntax: enough for the two tests above. */
class Parser {
  private i = 0;
  private depth = 0;
  constructor(private readonly s: string) {}

  parse(): Node {
    const n = this.alternation();
    if (this.i < this.s.length) throw new Error('unbalanced )');
    return n;
  }

  private alternation(): Node {
    if (++this.depth > 200) throw new Error('too deep'); // RegExp refuses such nesting too
    const branches = [this.sequence()];
    while (this.s[this.i] === '|') { this.i++; branches.push(this.sequence()); }
    this.depth--;
    return branches.length === 1 ? branches[0] : { kind: 'alt', branches };
  }

  private sequence(): Node {
    const items: Node[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const start = this.i;
      const atom = this.atom();
      const q = this.quantifier();
      items.push(q ? { kind: 'rep', min: q[0], max: q[1], body: atom, text: this.s.slice(start, this.i) } : atom);
    }
    return { kind: 'seq', items };
  }

  private atom(): Node {
    const c = this.s[this.i++];
    if (c === '\\') return { kind: 'atom', first: this.escape() };
    if (c === '[') { this.skipClass(); return { kind: 'atom', first: 'any' }; }
    if (c === '.') return { kind: 'atom', first: 'any' };
    if (c === '^' || c === '$') return { kind: 'atom', first: 'none' };
    if (c === '(') {
      let lookaround = false;
      if (this.s[this.i] === '?') {
        const m = /^\?(?:<?[=!]|<[^>]*>|[a-zA-Z-]*:|:)/.exec(this.s.slice(this.i, this.i + 40));
        if (m) { lookaround = /^\?<?[=!]/.test(m[0]); this.i += m[0].length; }
      }
      const body = this.alternation();
      if (this.s[this.i] !== ')') throw new Error('unclosed (');
      this.i++;
      return lookaround ? { kind: 'atom', first: 'none' } : body;
    }
    return { kind: 'atom', first: c };
  }

  /** After a backslash: a literal character, or 'any' for a class escape, 'none' for \b \B. */
  private escape(): string | 'any' | 'none' {
    const c = this.s[this.i++];
    if (c === 'p' || c === 'P') { if (this.s[this.i] === '{') this.i = this.s.indexOf('}', this.i) + 1 || this.s.length; return 'any'; }
    if (c === 'u' && this.s[this.i] === '{') { const end = this.s.indexOf('}', this.i); const cp = parseInt(this.s.slice(this.i + 1, end), 16); this.i = end + 1; return String.fromCodePoint(cp); }
    if (c === 'u' && /^[0-9a-fA-F]{4}/.test(this.s.slice(this.i))) { this.i += 4; return String.fromCharCode(parseInt(this.s.slice(this.i - 4, this.i), 16)); }
    if (c === 'x' && /^[0-9a-fA-F]{2}/.test(this.s.slice(this.i))) { this.i += 2; return String.fromCharCode(parseInt(this.s.slice(this.i - 2, this.i), 16)); }
    if (c === 'b' || c === 'B' || c === 'A' || c === 'z' || c === 'Z' || c === 'G') return 'none';
    if (c === 'k' && this.s[this.i] === '<') { this.i = this.s.indexOf('>', this.i) + 1 || this.s.length; return 'any'; }
    if (/[dDwWsShHRX0-9]/.test(c)) return 'any';
    return ({ n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' } as Record<string, string>)[c] ?? c;
  }

  private skipClass(): void {
    let depth = 1;
    if (this.s[this.i] === '^') this.i++;
    if (this.s[this.i] === ']') this.i++; // a leading ] is literal in Oniguruma
    while (this.i < this.s.length && depth > 0) {
      const c = this.s[this.i++];
      if (c === '\\') this.i++;
      else if (c === '[') depth++; // Oniguruma's nested classes
      else if (c === ']') depth--;
    }
  }

  /** `*` `+` `?` `{n}` `{n,}` `{n,m}` (with a lazy `?` or possessive `+` after) → [min, max]. */
  private quantifier(): [number, number] | undefined {
    const c = this.s[this.i];
    let q: [number, number] | undefined;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(this.s.slice(this.i, this.i + 24));
      if (!m || (m[1] === '' && m[3] === '')) return undefined; // a literal {
      const min = m[1] === '' ? 0 : Number(m[1]);
      q = [min, m[2] ? (m[3] === '' ? Infinity : Number(m[3])) : min];
      this.i += m[0].length - 1;
    }
    if (!q) return undefined;
    this.i++;
    if (this.s[this.i] === '?' || this.s[this.i] === '+') this.i++;
    return q;
  }
}
