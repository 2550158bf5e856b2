// The e2e's per-token loss check, both sides of it: what the CLI (`trace loss --json`, the
// same bundled model in Node) says each token of a line should get, and what the workbench
// drew. Toggle Per-Token Loss decorates with `backgroundColor` only, which Monaco draws as
// absolutely placed boxes in `.view-overlays` (not spans in `.view-line`), and it draws
// touching decorations of one type as one box; so both sides are compared as runs of
// touching tokens in one GLTR bucket, in character columns of the line.
import { execFileSync } from 'node:child_process';

/** The colours src/host/lossDecorations.ts gives GLTR's buckets (top 10, top 100, top 1000, beyond), as [r, g, b, a]. */
export const BUCKET_RGBA = [[46, 160, 67, 0.3], [210, 180, 20, 0.35], [220, 60, 50, 0.35], [150, 80, 200, 0.4]];

/** GLTR's bucket of a rank (0 = the model's top guess, so ranks 0…9 are the top 10). */
export const bucketOf = (rank) => (rank < 10 ? 0 : rank < 100 ? 1 : rank < 1000 ? 2 : 3);

/** GPT-2's byte-level symbols back to bytes (the inverse of bytes_to_unicode: Ġ → 0x20). */
const BYTE_OF_SYMBOL = (() => {
  const bytes = [];
  for (let b = 0; b < 256; b++) if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174) bytes.push(b);
  const symbols = bytes.map((b) => b);
  for (let b = 0, n = 0; b < 256; b++) if (!bytes.includes(b)) { bytes.push(b); symbols.push(256 + n++); }
  return new Map(symbols.map((s, i) => [String.fromCodePoint(s), bytes[i]]));
})();
const decodeByteLevel = (text) => new TextDecoder().decode(Uint8Array.from([...text].map((c) => {
  const b = BYTE_OF_SYMBOL.get(c);
  if (b === undefined) throw new Error(`token text ${JSON.stringify(text)} is not byte-level BPE`);
  return b;
})));

/**
 * `npm run -s trace -- loss --model M --json --text LINE`, each scored token placed in the line:
 * { model, perplexity, predicted (tokens after position 0), tokens: [{ start, end, nll, rank, bucket }] }.
 * Position 0 has no prediction (here tiny-gpt's <|endoftext|>, not part of the line); the tokens
 * after it must spell the line exactly, else the comparison would be meaningless.
 */
export function cliLoss(root, model, line) {
  const out = execFileSync('npm', ['run', '-s', 'trace', '--', 'loss', '--model', model, '--json', '--text', line], { cwd: root, encoding: 'utf8' });
  const r = JSON.parse(out);
  const first = decodeByteLevel(r.tokens[0].text);
  let at = line.startsWith(first) && !/^<\|.*\|>$/.test(r.tokens[0].text) ? first.length : 0;
  const tokens = [];
  r.tokens.forEach((t, i) => {
    if (i === 0) return;
    const text = decodeByteLevel(t.text);
    if (line.slice(at, at + text.length) !== text) throw new Error(`CLI token ${i} ${JSON.stringify(text)} is not at column ${at} of ${JSON.stringify(line)}`);
    tokens.push({ start: at, end: at + text.length, nll: r.token_nll[i], rank: r.token_rank[i], bucket: bucketOf(r.token_rank[i]) });
    at += text.length;
  });
  if (at !== line.length) throw new Error(`CLI tokens end at column ${at} of ${line.length}`);
  return { model: r.model, perplexity: r.perplexity, predicted: r.tokens.length - 1, tokens };
}

/** Touching spans of one bucket as one run: [{ start, end, bucket }] sorted by start. */
export function runsOf(spans) {
  const runs = [];
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    const last = runs.at(-1);
    if (last && last.bucket === s.bucket && last.end === s.start) last.end = s.end;
    else runs.push({ start: s.start, end: s.end, bucket: s.bucket });
  }
  return runs;
}

/**
 * In the page: the loss boxes drawn over the editor line whose text is `line`, in character
 * columns — { spans: [{ start, end, bucket }] (runsOf joins them), strays: [what could not be placed
 * on a column], charX: x of each character boundary, lineY: the line's middle, visible: the x range
 * where text shows }.
 * A box's left and right edges are matched to the nearest character boundary of the line
 * (measured with DOM ranges over its text), within a third of a character.
 */
export function readLossBoxes([line, rgba]) {
  const norm = (s) => s.replace(/[\u00a0\u00b7\u2e31]/g, ' ');
  const viewLine = [...document.querySelectorAll('.monaco-editor .view-line')].find((l) => norm(l.textContent) === line);
  if (!viewLine) return { error: `no editor line reads ${JSON.stringify(line)}` };
  const editor = viewLine.closest('.monaco-editor');
  // x of every character boundary 0…n of the line
  const xs = [];
  const walker = document.createTreeWalker(viewLine, NodeFilter.SHOW_TEXT);
  let lastRight = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const r = document.createRange();
      r.setStart(node, i); r.setEnd(node, i + 1);
      const box = r.getBoundingClientRect();
      xs.push(box.left); lastRight = box.right;
    }
  }
  xs.push(lastRight);
  const lineBox = viewLine.getBoundingClientRect();
  const charWidth = (xs.at(-1) - xs[0]) / Math.max(1, xs.length - 1);
  const column = (x) => {
    let best = 0;
    for (let k = 1; k < xs.length; k++) if (Math.abs(xs[k] - x) < Math.abs(xs[best] - x)) best = k;
    return Math.abs(xs[best] - x) <= charWidth / 3 ? best : undefined;
  };
  const parse = (c) => (c.match(/[\d.]+/g) ?? []).map(Number);
  const bucketOfColour = (c) => {
    const [r, g, b, a = 1] = parse(c);
    return rgba.findIndex(([R, G, B, A]) => r === R && g === G && b === B && Math.abs(a - A) < 0.01);
  };
  const spans = [], strays = [];
  for (const el of editor.querySelectorAll('.view-overlays *')) {
    const bucket = bucketOfColour(getComputedStyle(el).backgroundColor);
    if (bucket < 0) continue;
    const box = el.getBoundingClientRect();
    if (box.bottom <= lineBox.top || box.top >= lineBox.bottom) { strays.push(`a ${bucket} box on another line (y ${box.top})`); continue; }
    const start = column(box.left), end = column(box.right);
    if (start === undefined || end === undefined) { strays.push(`a ${bucket} box at x ${box.left.toFixed(1)}–${box.right.toFixed(1)} off the character grid`); continue; }
    spans.push({ start, end, bucket });
  }
  // where text shows: right of the gutter, left of the minimap
  const scroller = editor.querySelector('.editor-scrollable')?.getBoundingClientRect() ?? editor.getBoundingClientRect();
  const minimap = editor.querySelector('.minimap')?.getBoundingClientRect();
  const visible = { left: scroller.left, right: minimap && minimap.width > 0 ? Math.min(scroller.right, minimap.left) : scroller.right };
  return { spans, strays, charX: xs, lineY: (lineBox.top + lineBox.bottom) / 2, visible };
}
