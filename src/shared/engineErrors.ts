/**
 * Stable codes for the engine errors a learner meets in the panel (too long a selection,
 * a model of the wrong kind for the logit lens, …), and for the engine's notices and model
 * line shown beside the answers, with their arguments. The engine keeps
 * its English message (what the CLI prints) and adds the code; the host shows the panel's
 * text for the code in the display language (PANEL_ERROR_TEXT through vscode.l10n.t, zh-CN
 * in l10n/bundle.l10n.zh-cn.json). An error without a code is shown as the engine wrote it.
 */
export type EngineErrorCode =
  | 'no-tokens' | 'too-many-positions' | 'too-many-positions-cached'
  | 'needs-causal-lm-masked' | 'needs-causal-lm-seq2seq' | 'no-lm-head' | 'one-token-no-loss'
  | 'selection-too-large' | 'unknown-model'
  // not errors: the notices and the model line the panel shows beside the answers
  | 'input-cut-to-positions' | 'panel-shows-first' | 'model-shape' | 'model-shape-kv' | 'chatml-not-tokens';

export interface CodedError { code: EngineErrorCode; args: (string | number)[] }

/** The panel's English for each code; {n} is args[n]. */
export const PANEL_ERROR_TEXT: Record<EngineErrorCode, string> = {
  'no-tokens': 'There are no tokens to run the model on: select some text.',
  'too-many-positions': '{0} tokens is more than this model\'s {1} positions; select less text.',
  'too-many-positions-cached': '{0} cached + {1} new tokens is more than this model\'s {2} positions.',
  'needs-causal-lm-masked': 'The {0} needs a causal language model (GPT-style); this is a masked language model (BERT-style: it predicts [MASK] tokens, not the next one). Use the Predictions view and the masking demo for it.',
  'needs-causal-lm-seq2seq': 'The {0} needs a causal language model (GPT-style); this is an encoder–decoder. Its decoder is shown in the Attention tab\'s Encoder–decoder view.',
  'no-lm-head': 'The {0} needs the model\'s LM head; this checkpoint has none.',
  'one-token-no-loss': 'One token has no loss to show: the first token has nothing before it to predict it from. Select more text.',
  'selection-too-large': 'The selection has {0} characters; Transformer Tracer tokenizes at most {1} (16 MiB) at once.',
  'unknown-model': 'Model “{0}”: no such file or folder, and not a bundled model ({1}).',
  'input-cut-to-positions': 'The input has {0} tokens; this model reads at most {1}, so only the first {1} were used.',
  'panel-shows-first': 'The panel shows the first {0} tokens: every layer and head over {1} tokens would be {2} MB of attention ({3} MB shown). The CLI has no such limit.',
  'model-shape': '{0} · {1} layers × {2} heads · {3} wide · {4} tokens',
  'model-shape-kv': '{0} · {1} layers × {2} heads ({3} KV) · {4} wide · {5} tokens',
  'chatml-not-tokens': 'The generic ChatML template\'s <|im_start|> and <|im_end|> are not tokens of {0}: they are tokenized as plain text.',
};

/** An error with a code attached (the engine's ModelError, or a plain Error from the worker's checks). */
export function withCode<E extends Error>(e: E, code: EngineErrorCode, ...args: (string | number)[]): E & { coded: CodedError } {
  return Object.assign(e, { coded: { code, args } });
}

/** The code an error carries, if it is a well-formed one. */
export function errorCode(e: unknown): CodedError | undefined {
  const c = (e as { coded?: unknown } | null)?.coded as CodedError | undefined;
  if (!c || typeof c !== 'object' || !(c.code in PANEL_ERROR_TEXT) || !Array.isArray(c.args)) return undefined;
  return c.args.every((a) => typeof a === 'string' || typeof a === 'number') ? c : undefined;
}
