/**
 * The Encoder–decoder view's Translate action: greedy decoding of the selection with the
 * model, through the engine worker's `generate` request (the Generate view's; for an
 * encoder–decoder generate() encodes the source once and decodes from the start token). The
 * panel puts the text in its target box and runs the attention on it; the ids are sent too,
 * since text → tokens need not give the same ids back.
 */
import type { EngineClient } from '../engineClient';

/** Most new tokens a Translate asks for (the view sends its own, capped by the protocol at 512). */
export const TRANSLATE_MAX_NEW_TOKENS = 64;

export async function translateSource(engine: EngineClient, folder: string, source: string, maxNewTokens: number): Promise<{ text: string; newIds: number[] }> {
  const summary = await engine.request({ kind: 'generate', model: folder, text: source, settings: { maxNewTokens } });
  // generate() stops at EOS (kept in newIds, not in the text); SentencePiece's ▁ leaves a leading space
  return { text: summary.text.trim(), newIds: summary.newIds };
}
