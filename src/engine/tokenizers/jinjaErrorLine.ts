/**
 * Which line of a chat template an error from @huggingface/jinja comes from. The library's
 * errors carry no positions, so the line is found from the template itself:
 *   - a syntax error (lexer or parser, thrown while compiling): the first prefix of the
 *     template, line by line, that fails with the same message — the line where the fault is;
 *   - `raise_exception('…')` (the template refusing the messages): the call whose string
 *     literals appear in the message (`'Bad role: ' + role` matches "Bad role: tool");
 *   - another runtime error naming something at its end (`Unknown StringValue filter: foo`):
 *     the first line that mentions that name.
 * Anything else has no line (undefined). Lines count from 1, as editors show them.
 */
import { parse, tokenize } from '@huggingface/jinja';

/** The same preprocessing as `new Template(…)`: transformers renders with trim_blocks and lstrip_blocks. */
const LEXER_OPTIONS = { lstrip_blocks: true, trim_blocks: true };

export function syntaxErrorLine(template: string, message: string): number | undefined {
  const lines = template.split('\n');
  for (let n = 1; n <= lines.length; n++) {
    try {
      parse(tokenize(lines.slice(0, n).join('\n'), LEXER_OPTIONS));
    } catch (e) {
      if ((e as Error).message === message) return n;
    }
  }
  return undefined;
}

/** String literals in a line of template code: `raise_exception('a' + x + "b")` → ['a', 'b']. */
function stringLiterals(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g)) {
    const body = (m[1] ?? m[2]).replace(/\\(.)/g, '$1');
    if (body) out.push(body);
  }
  return out;
}

export function raiseExceptionLine(template: string, message: string): number | undefined {
  const lines = template.split('\n');
  let best: { line: number; matched: number } | undefined;
  lines.forEach((text, i) => {
    let at = text.indexOf('raise_exception(');
    while (at >= 0) {
      const literals = stringLiterals(text.slice(at));
      const matched = literals.filter((l) => message.includes(l)).reduce((sum, l) => sum + l.length, 0);
      if (matched > 0 && (!best || matched > best.matched)) best = { line: i + 1, matched };
      at = text.indexOf('raise_exception(', at + 1);
    }
  });
  return best?.line;
}

export function runtimeErrorLine(template: string, message: string): number | undefined {
  const name = /:\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(message)?.[1];
  if (!name) return undefined;
  const word = new RegExp(`\\b${name}\\b`);
  const i = template.split('\n').findIndex((l) => word.test(l));
  return i >= 0 ? i + 1 : undefined;
}

/** The text of line `n` (1-based), trimmed and shortened for a one-line message. */
export function templateLineText(template: string, n: number, max = 120): string {
  const text = (template.split('\n')[n - 1] ?? '').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
