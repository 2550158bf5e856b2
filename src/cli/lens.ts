/**
 * `trace lens`: what a causal LM would predict after each layer (the logit lens) at every
 * position; `trace loss`: how surprised it is by each token (nats, rank, perplexity), GLTR's
 * buckets (top-10 / top-100 / top-1000 / beyond) shown by colour on a terminal.
 * `--json`: {"lens_top5": [L][T][5] ids, "lens_probs": [L][T][5]} and {"token_nll":
 * [null, …], "token_rank": [null, …], "perplexity"}.
 */
import { runLensJob, runLossJob } from '../engine/model/lensJob';
import { DEFAULT_MODEL } from '../engine/model/bundledModels';
import { modelFolder, parseIds } from './attention';
import { inputText, positiveInt } from './main';
import type { ParsedArgs } from './args';
import { bold, dim, readableEntry, useColor } from './terminal';

function job(args: ParsedArgs, model: string) {
  const idsOpt = args.options.get('ids');
  const ids = typeof idsOpt === 'string' ? parseIds(idsOpt) : undefined;
  return { model, ids, text: ids ? undefined : inputText(args), topK: positiveInt(args, 'top') || 5 };
}

export async function lensCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const r = runLensJob(job(args, await modelFolder(args, err, DEFAULT_MODEL)));
  if (r.notice) err.write(`trace: ${r.notice}\n`);
  if (args.options.has('json')) {
    out.write(JSON.stringify({
      model: r.model, tokens: r.tokens.map((t) => ({ id: t.id, text: t.text })),
      lens_top5: r.lens.cells.map((layer) => layer.map((c) => c.top)), lens_probs: r.lens.cells.map((layer) => layer.map((c) => c.probs)),
      final_rank: r.lens.cells.map((layer) => layer.map((c) => c.finalRank)), final_prob: r.lens.cells.map((layer) => layer.map((c) => c.finalProb)),
    }) + '\n');
    return;
  }
  const color = useColor(out);
  const name = (id: number) => readableEntry(r.tokenText(id) ?? `#${id}`, r.byteLevel).slice(0, 10);
  out.write(`${bold(r.model, color)}  logit lens: the top guess after each layer, at each position (the last row is the model's output)\n\n`);
  const width = 12;
  out.write(`${'layer'.padEnd(7)}${r.tokens.map((t) => readableEntry(t.text, r.byteLevel).slice(0, width - 2).padEnd(width)).join('')}\n`);
  r.lens.cells.forEach((layer, l) => {
    out.write(`${String(l + 1).padEnd(7)}${layer.map((c) => `${name(c.top[0])} ${dim((100 * c.probs[0]).toFixed(0), color)}`.padEnd(width + (color ? 9 : 0))).join('')}\n`);
  });
  out.write(dim('\neach cell: the most likely next token after that layer and its probability (%)\n', color));
}

const BUCKET_COLOURS = ['\x1b[42;30m', '\x1b[43;30m', '\x1b[41;30m', '\x1b[45;30m'];

export async function lossCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const r = runLossJob(job(args, await modelFolder(args, err, DEFAULT_MODEL)));
  if (r.notice) err.write(`trace: ${r.notice}\n`);
  const { loss } = r;
  if (args.options.has('json')) {
    out.write(JSON.stringify({
      model: r.model, tokens: r.tokens.map((t) => ({ id: t.id, text: t.text })),
      token_nll: loss.nll, token_rank: loss.rank, perplexity: loss.perplexity,
      top: loss.top.map((t) => t && t.map((e) => ({ id: e.id, prob: e.prob }))),
    }) + '\n');
    return;
  }
  const color = useColor(out);
  const bucket = (rank: number) => (rank < 10 ? 0 : rank < 100 ? 1 : rank < 1000 ? 2 : 3);
  const text = (t: { text: string }) => readableEntry(t.text, r.byteLevel);
  out.write(`${bold(r.model, color)}  per-token loss · perplexity ${loss.perplexity.toFixed(2)} over ${r.tokens.length - 1} predicted tokens\n\n`);
  out.write(r.tokens.map((t, i) => (i === 0 || !color ? text(t) : `${BUCKET_COLOURS[bucket(loss.rank[i]!)]}${text(t)}\x1b[0m`)).join('') + '\n\n');
  out.write(`${'token'.padEnd(16)}${'nats'.padStart(8)}${'rank'.padStart(8)}  the model's guesses there\n`);
  r.tokens.forEach((t, i) => {
    if (i === 0) { out.write(`${text(t).slice(0, 15).padEnd(16)}${'—'.padStart(8)}${'—'.padStart(8)}  ${dim('(nothing before it)', color)}\n`); return; }
    const guesses = loss.top[i]!.slice(0, 3).map((g) => `${readableEntry(r.tokenText(g.id) ?? `#${g.id}`, r.byteLevel)} ${(100 * g.prob).toFixed(1)}%`).join(', ');
    out.write(`${text(t).slice(0, 15).padEnd(16)}${loss.nll[i]!.toFixed(2).padStart(8)}${String(loss.rank[i]).padStart(8)}  ${dim(guesses, color)}\n`);
  });
  out.write(dim('\nrank: how many tokens the model ranked above the real one (0 = its top guess); colours: top-10, top-100, top-1000, beyond (GLTR)\n', color));
}
