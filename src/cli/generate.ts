/**
 * `trace generate`: continue a prompt token by token with the KV cache, greedy or sampled
 * (temperature → top-k → top-p, seeded), printing the text as it is produced; `--json`
 * gives every step: `{"model", "prompt_ids", "new_ids", "steps": [{"id", "text", "prob",
 * "top": [{"id", "prob"}], "ms"}], "kv_cache_bytes", "ms_per_token", "stopped_by"}`.
 */
import { runGenerateJob } from '../engine/model/generateJob';
import { DEFAULT_MODEL } from '../engine/model/bundledModels';
import type { KernelChoice } from '../engine/model/loadModel';
import { checkSampling, type SamplingSettings } from '../shared/sampling';
import { modelFolder, parseIds } from './attention';
import { inputText, positiveInt } from './main';
import { numberOption } from './predict';
import { UsageError, type ParsedArgs } from './args';
import { dim, useColor } from './terminal';

const STOPPED: Record<string, string> = {
  eos: 'the end-of-sequence token', 'stop-string': 'the stop string', 'max-new-tokens': '--max-new-tokens',
  positions: "the model's last position", cancelled: 'cancelled',
};

export async function generateCommand(args: ParsedArgs, out: NodeJS.WriteStream, err: NodeJS.WriteStream): Promise<void> {
  const greedy = args.options.has('greedy');
  const sampled = ['temperature', 'top-k', 'top-p', 'seed'].filter((o) => args.options.has(o));
  if (greedy && sampled.length) throw new UsageError(`--greedy cannot be combined with --${sampled.join(', --')}`);
  let sampling: SamplingSettings | undefined;
  if (sampled.length) {
    sampling = { temperature: numberOption(args, 'temperature', 1), topK: numberOption(args, 'top-k', 0), topP: numberOption(args, 'top-p', 1) };
    const problem = checkSampling(sampling);
    if (problem) throw new UsageError(problem);
  }
  const maxNewTokens = positiveInt(args, 'max-new-tokens') ?? 32;
  if (maxNewTokens === 0) throw new UsageError('--max-new-tokens must be at least 1');
  const stop = args.options.get('stop');
  if (stop === '') throw new UsageError('--stop needs a non-empty string');
  const penalty = numberOption(args, 'repetition-penalty', 1);
  if (!(penalty > 0)) throw new UsageError(`--repetition-penalty must be above 0, got ${penalty}`);
  const kernels = (args.options.get('kernels') ?? 'auto') as string;
  if (!['auto', 'wasm', 'typescript'].includes(kernels)) throw new UsageError('--kernels must be "wasm" or "typescript"');
  const idsOpt = args.options.get('ids');
  const ids = typeof idsOpt === 'string' ? parseIds(idsOpt) : undefined;
  const model = await modelFolder(args, err, DEFAULT_MODEL);
  const json = args.options.has('json');
  const color = useColor(out);
  const prompt = ids ? undefined : inputText(args);
  let seq2seq = false; // known once the model is loaded: an encoder–decoder writes its target after an arrow
  let started = false; // the prompt is printed with the first new text, after every check has passed
  const report = runGenerateJob({
    model, ids, text: prompt, kernels: kernels as KernelChoice,
    maxNewTokens, sampling, seed: sampling ? numberOption(args, 'seed', 0) : undefined,
    stopStrings: typeof stop === 'string' ? [stop] : undefined, repetitionPenalty: penalty,
    onStart: (info) => { seq2seq = info.seq2seq; },
    onText: json ? undefined : (delta) => {
      if (!started && prompt !== undefined) out.write(dim(prompt, color) + (seq2seq ? dim(' → ', color) : ''));
      started = true;
      out.write(delta);
    },
  });
  if (json) {
    out.write(JSON.stringify({
      model: report.model, prompt_ids: report.promptIds, new_ids: report.newIds, text: report.text,
      steps: report.steps.map((s, i) => ({ id: s.id, text: report.tokenTexts[i], prob: s.prob, top: s.top.map((t) => ({ id: t.id, prob: t.prob })), ms: Number(s.ms.toFixed(3)) })),
      kv_cache_bytes: report.kvCacheBytes, ms_per_token: Number(report.msPerToken.toFixed(3)), prefill_ms: Number(report.prefillMs.toFixed(3)),
      stopped_by: report.stoppedBy, settings: sampling ? { temperature: sampling.temperature, top_k: sampling.topK, top_p: sampling.topP, seed: numberOption(args, 'seed', 0) } : { greedy: true },
    }) + '\n');
    return;
  }
  out.write(dim(`\n\n${report.newIds.length} new tokens · ${sampling ? `temperature ${sampling.temperature} · top-k ${sampling.topK || 'off'} · top-p ${sampling.topP === 1 ? 'off' : sampling.topP} · seed ${numberOption(args, 'seed', 0)}` : 'greedy'} · stopped by ${STOPPED[report.stoppedBy]}\n`
    + `prefill ${report.prefillMs.toFixed(1)} ms for ${report.promptIds.length} tokens · ${report.msPerToken.toFixed(2)} ms per new token · KV cache ${(report.kvCacheBytes / 1024).toFixed(1)} KiB\n`, color));
}
