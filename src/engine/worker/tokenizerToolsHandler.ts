/**
 * The engine worker's side of the Compare & chat view (src/shared/tokenizerToolsProtocol.ts):
 * the comparison of src/engine/tokenizers/compare.ts cut to what the panel draws (the first
 * `shownChars` of the text; counts cover all of it), and apply_chat_template of
 * src/engine/tokenizers/chatTemplate.ts with each token's place in the rendered text.
 * Pure functions of the request, tested without a thread.
 */
import type { PanelChat, PanelComparison, TokenizerToolsRequest } from '../../shared/tokenizerToolsProtocol';
import { applyChatTemplate, parseMessages } from '../tokenizers/chatTemplate';
import { compareTokenizers } from '../tokenizers/compare';

export function runCompare(req: Extract<TokenizerToolsRequest, { kind: 'compare' }>): PanelComparison {
  const r = compareTokenizers(req.tokenizers, req.text);
  const shown = Math.min(req.text.length, Math.max(0, req.shownChars));
  const upTo = (offsets: number[]) => offsets.filter((o) => o <= shown);
  return {
    text: req.text.slice(0, shown), shown, length: req.text.length, characters: r.characters, bytes: r.bytes,
    tokenizers: r.tokenizers.map((t) => ({
      name: t.name, vocabSize: t.vocabSize, count: t.ids.length,
      charactersPerToken: t.charactersPerToken, bytesPerToken: t.bytesPerToken, boundaries: upTo(t.boundaries),
    })),
    shared: upTo(r.boundaries.shared), summary: r.summary,
  };
}

export function runChat(req: Extract<TokenizerToolsRequest, { kind: 'chat' }>): PanelChat {
  const r = applyChatTemplate(req.tokenizer, parseMessages(req.messages), { addGenerationPrompt: req.addGenerationPrompt, genericTemplate: req.genericTemplate });
  return {
    tokenizer: req.tokenizer, text: r.text, ids: r.ids, template: r.templateSource,
    tokens: r.tokens.map((t) => ({ id: t.id, start: t.start, end: t.end, special: t.special })),
    ...(r.notice ? { notice: r.notice } : {}), ...(r.noticeCoded ? { noticeCoded: r.noticeCoded } : {}),
  };
}
