/**
 * The jobs behind `trace lens` and `trace loss` (and the panel's residual-stream views):
 * load and tokenize as the attention job does, one forward pass keeping each layer's
 * residual stream, then the logit lens or the per-token loss (residualStream.ts).
 */
import { prepare, type AttentionJob } from './attentionJob';
import { runModel } from './loadModel';
import { checkLanguageModel, logitLens, tokenLoss, type LogitLens, type TokenLoss } from './residualStream';

export type LensJob = Pick<AttentionJob, 'model' | 'text' | 'ids' | 'kernels' | 'onLoadProgress' | 'shouldCancel'> & { topK?: number };

export interface LensReport {
  model: string;
  tokens: { id: number; text: string; start?: number; end?: number }[];
  notice?: string;
  tokenText(id: number): string | undefined;
  byteLevel: boolean;
}

function run(job: LensJob, residuals: boolean) {
  const { entry, tokens, notice } = prepare(job);
  const { model } = entry;
  checkLanguageModel(model.config, model.weights, residuals ? 'logit lens' : 'per-token loss');
  const r = runModel(model, { ids: tokens.map((t) => t.id) }, { record: 'none', keepResiduals: residuals, shouldCancel: job.shouldCancel });
  const tok = entry.tokenizer?.tokenizer;
  const report: LensReport = { model: model.name, tokens, ...(notice ? { notice } : {}), tokenText: (id) => tok?.idToToken(id), byteLevel: tok?.kind === 'byte-bpe' };
  return { model, r, tokens, report };
}

export function runLensJob(job: LensJob): LensReport & { lens: LogitLens } {
  const { model, r, report } = run(job, true);
  return { ...report, lens: logitLens(model.config, model.weights, r, job.topK ?? 5, model.kernels) };
}

export function runLossJob(job: LensJob): LensReport & { loss: TokenLoss } {
  const { model, r, tokens, report } = run(job, false);
  return { ...report, loss: tokenLoss(model.config, model.weights, r, tokens.map((t) => t.id), job.topK ?? 5, model.kernels) };
}
