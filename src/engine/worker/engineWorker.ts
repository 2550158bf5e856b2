/**
 * The engine's worker thread: the extension host posts requests here so tokenizing a
 * large selection never blocks the editor. Loaded tokenizers stay warm between requests.
 */
import { parentPort } from 'node:worker_threads';
import type { EngineAnswers, EngineProgress, EngineRequest, EngineResponse, EngineStreamed } from '../../shared/engineProtocol';
import type { GenerateEvent } from '../../shared/generateProtocol';
import { handle } from './handlers';
import { errorCode } from '../../shared/engineErrors';
import { errorL10nText } from '../../shared/l10nText';

if (!parentPort) throw new Error('engineWorker must run in a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; request: EngineRequest }) => {
  let response: EngineResponse;
  try {
    response = { id: msg.id, ok: true, value: handle(msg.request, (done, total) => port.postMessage({ id: msg.id, progress: { done, total } } satisfies EngineProgress),
      (event) => port.postMessage({ id: msg.id, streamed: event } satisfies EngineStreamed, streamedBuffers(event))) };
  } catch (e) {
    const coded = errorCode(e), l10n = errorL10nText(e);
    response = { id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e), ...(coded ? { coded } : {}), ...(l10n ? { l10n } : {}) };
  }
  port.postMessage(response, response.ok ? moved(msg.request.kind, response.value) : []);
});

/** The buffers of an answer that move to the host rather than being copied: the handler made them for this answer alone. */
function moved(kind: EngineRequest['kind'], value: unknown): ArrayBuffer[] {
  if (kind === 'attention') return transferable(value as EngineAnswers['attention']);
  if (kind === 'tokenizeBytes') return wholeBuffers([value as EngineAnswers['tokenizeBytes']]); // the panel's 2–3 MB of JSON on a 5 MB selection
  return [];
}

/** The buffers of `views` that each view covers whole and no one shares (the rest are copied as usual). */
function wholeBuffers(views: readonly (ArrayBufferView | undefined)[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (v && v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength) out.add(v.buffer);
  return [...out];
}

/**
 * An attention answer's weights and logits, moved to the host rather than copied (4 MB
 * for 256 tokens of tiny-gpt): the handler made them for this answer alone. Only whole,
 * unshared buffers move; anything else is copied as usual.
 */
function transferable(a: EngineAnswers['attention']): ArrayBuffer[] {
  return wholeBuffers([...a.attentions, a.nextLogits]);
}

/** A generated token's attention rows, moved to the host (generate() made them for this step alone). */
function streamedBuffers(e: GenerateEvent): ArrayBuffer[] {
  if (e.kind !== 'step' || !e.step.attentions) return [];
  return wholeBuffers(e.step.attentions);
}
