/**
 * The Attention view's message from the engine's attention answer: the fields the panel
 * reads, the engine's coded prose (description, notice) put in words by `words` (the host
 * passes codedText, in the display language). No vscode import, so unit tests and the
 * browser harness build the message exactly as the host does.
 */
import type { AttentionAnswer } from '../../shared/engineProtocol';
import type { CodedError } from '../../shared/engineErrors';
import type { PanelAttention } from '../../shared/protocol';

export function panelAttentionOf(a: AttentionAnswer, words: (c: CodedError) => string): PanelAttention {
  return {
    model: a.model, description: a.descriptionCoded ? words(a.descriptionCoded) : a.description, tokens: a.tokens, causal: a.causal, layers: a.layers, heads: a.heads, T: a.T,
    notice: a.noticeCoded ? a.noticeCoded.map(words).join(' ') : a.notice,
    weights: a.attentions, nextTokenTop: a.nextTokenTop, maskTop: a.maskTop, namedHeads: a.namedHeads, forwardMs: a.timings.forward, nextLogits: a.nextLogits,
    ...a.architecture, ...(a.seq2seq ? { seq2seq: a.seq2seq } : {}),
  };
}
