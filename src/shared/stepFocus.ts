/**
 * The attention steps the code features name on a line (src/engine/code/attentionSteps.ts)
 * and where each one is in the panel's step trace (webview/views/attention/stepView.ts):
 * the hover's "Show this step with live numbers" opens the step trace scrolled to that
 * block. Targets are element ids, the first one present wins (the GQA line exists only
 * for a model with fewer K/V heads, the RoPE block only for a rotary model; else the
 * scores block, where q and k meet).
 */

export const CODE_STEP_KINDS = ['scores', 'scale', 'mask', 'causal-mask', 'softmax', 'weighted-sum', 'sdpa', 'gqa', 'rotary', 'layernorm', 'rmsnorm'] as const;
export type CodeStepKind = typeof CODE_STEP_KINDS[number];

export function isCodeStepKind(v: unknown): v is CodeStepKind {
  return typeof v === 'string' && (CODE_STEP_KINDS as readonly string[]).includes(v);
}

const TARGETS: Record<CodeStepKind, readonly string[]> = {
  scores: ['step-scores'],
  scale: ['step-scale', 'step-scores'],
  mask: ['step-masking'],
  'causal-mask': ['step-masking'],
  softmax: ['step-softmax'],
  'weighted-sum': ['step-output'],
  sdpa: ['step-scores'],
  gqa: ['step-gqa', 'step-scores'],
  rotary: ['rope-step', 'step-scores'],
  layernorm: ['step-residual'],
  rmsnorm: ['step-residual'],
};

/** The step trace's element ids for a step, in order of preference. */
export function stepTraceTargets(kind: CodeStepKind): readonly string[] {
  return TARGETS[kind];
}

/**
 * What the host posts for the hover link's argument (the step kind, JSON in the command
 * URI): the step trace on that step, or the Attention tab when the argument is no step.
 */
export function showStepMessage(arg: unknown): { type: 'showStep'; step: CodeStepKind } | { type: 'showTab'; tab: 'attention' } {
  return isCodeStepKind(arg) ? { type: 'showStep', step: arg } : { type: 'showTab', tab: 'attention' };
}
