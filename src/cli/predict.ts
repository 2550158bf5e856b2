/**
 * `trace predict`: GPT next-token probabilities before and after temperature, top-k and
 * top-p (BERT: fill-mask top-k at each [MASK]); `trace mask-demo`: BERT's 15% / 80-10-10
 * pre-training masking on the input, token by token, and what the model predicts there.
 */
import { runAttentionJob, runMaskingDemoJob } from '../engine/model/attentionJob';
import { checkSampling, DEFAULT_SAMPLING, samplingSteps, type SamplingSettings } from '../shared/sampling';
import { DEFAULT_MODEL } from '../engine/model/bundledModels';
import { modelFolder } from './attention';
import { inputText, positiveInt } from './main';
import { UsageError, type ParsedArgs } from './args';
import { bold, dim, readableEntry, useColor } from './terminal';

export function numberOption(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.options.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number, got ${JSON.stringify(v)}`);
  return n;
}

const pct = (p: number) => (p === 0 ? '—' : `${(100 * p).toFixed(p < 0.001 ? 3 : 1)}%`);

export async function predictCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const sampling: SamplingSettings = {
    temperature: numberOption(args, 'temperature', DEFAULT_SAMPLING.temperature),
    topK: numberOption(args, 'top-k', DEFAULT_SAMPLING.topK),
    topP: numberOption(args, 'top-p', DEFAULT_SAMPLING.topP),
  };
  const problem = checkSampling(sampling);
  if (problem) throw new UsageError(problem);
  const show = positiveInt(args, 'top') ?? 10;
  const report = runAttentionJob({ model: await modelFolder(args, err, DEFAULT_MODEL), text: inputText(args), topK: show });
  if (report.notice) err.write(`trace: ${report.notice}\n`);
  const json = args.options.has('json');
  const color = useColor(out);
  const text = (id: number) => report.tokenText(id) ?? `#${id}`;
  const readable = (spelling: string) => readableEntry(spelling, report.byteLevel);
  if (report.nextLogits) {
    const steps = samplingSteps(report.nextLogits, sampling, show);
    if (json) {
      out.write(JSON.stringify({
        model: report.model, kind: 'next-token', settings: { temperature: sampling.temperature, top_k: sampling.topK, top_p: sampling.topP },
        tokens: steps.ids.map((id) => ({ id, text: text(id) })),
        stages: steps.stages.map((s) => ({ name: s.name, kept: s.kept, probs: s.probs })),
      }) + '\n');
      return;
    }
    out.write(`${bold(report.model, color)}  next token after ${report.tokens.length} tokens · temperature ${sampling.temperature} · top-k ${sampling.topK || 'off'} · top-p ${sampling.topP === 1 ? 'off' : sampling.topP}\n\n`);
    out.write(dim('probability of each token after each step, in order: softmax of the logits, then temperature, top-k, top-p\n', color));
    out.write(`${'token'.padEnd(18)}${steps.stages.map((s) => s.name.padStart(13)).join('')}\n`);
    steps.ids.forEach((id, i) => out.write(`${readable(text(id)).slice(0, 16).padEnd(18)}${steps.stages.map((s) => pct(s.probs[i]).padStart(13)).join('')}\n`));
    out.write(dim(`${''.padEnd(18)}${steps.stages.map((s) => `${s.kept} kept`.padStart(13)).join('')}\n`, color));
    return;
  }
  const masks = report.maskTop ?? [];
  if (masks.length === 0) throw new UsageError('this is a masked language model: put [MASK] in the text to see its fill-mask predictions');
  if (json) {
    out.write(JSON.stringify({ model: report.model, kind: 'fill-mask', masks: masks.map((m) => ({ pos: m.pos, top: m.top.map((e) => ({ id: e.id, text: text(e.id), logit: e.logit })) })) }) + '\n');
    return;
  }
  out.write(dim('the model\'s top guesses at each [MASK], with their logits\n', color));
  for (const m of masks) out.write(`${bold(`[MASK] at ${m.pos}`, color)}: ${m.top.map((e) => `${readable(text(e.id))} ${dim(e.logit.toFixed(2), color)}`).join(', ')}\n`);
}

const ACTION_TEXT = { mask: '→ [MASK]', random: '→ random', keep: '→ kept' } as const;

export async function maskDemoCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const seed = positiveInt(args, 'seed') ?? 0;
  const r = runMaskingDemoJob({ model: await modelFolder(args, err, 'tiny-bert'), text: inputText(args), seed, topK: positiveInt(args, 'top') ?? 5 });
  if (args.options.has('json')) {
    out.write(JSON.stringify({
      model: r.model, seed: r.seed,
      tokens: r.steps.map((s) => ({ pos: s.pos, id: s.original, text: s.originalText, ...(s.action ? { action: s.action, input_id: s.input, input_text: s.inputText, top: s.top?.map((e) => ({ id: e.id, text: r.tokenText(e.id), logit: e.logit })) } : {}) })),
    }) + '\n');
    return;
  }
  const color = useColor(out);
  const readable = (spelling: string) => readableEntry(spelling, r.byteLevel);
  const chosen = r.steps.filter((s) => s.action).length;
  out.write(`${bold(r.model, color)}  BERT masking, seed ${seed}: ${chosen} of ${r.steps.length} tokens chosen (15% of ordinary tokens; of those 80% [MASK], 10% random, 10% unchanged)\n\n`);
  for (const s of r.steps) {
    const line = `${String(s.pos).padStart(4)}  ${readable(s.originalText).slice(0, 16).padEnd(16)}`;
    if (!s.action) { out.write(dim(line, color) + '\n'); continue; }
    const top = s.top?.map((e) => `${readable(r.tokenText(e.id) ?? `#${e.id}`)}${e.id === s.original ? '✓' : ''}`).join(', ');
    out.write(`${line}${bold(`${ACTION_TEXT[s.action]} ${s.action === 'random' ? readable(s.inputText) : ''}`.padEnd(22), color)}${top ? `predicts: ${top}` : ''}\n`);
  }
}
