/**
 * The engine's worker thread: the extension host posts requests here so tokenizing a
 * large selection never blocks the editor. Loaded tokenizers stay warm between requests.
 */
import { parentPort } from 'node:worker_threads';
import type { EngineProgress, EngineRequest, EngineResponse } from '../../shared/engineProtocol';
import { handle } from './handlers';

if (!parentPort) throw new Error('engineWorker must run in a worker thread');
const port = parentPort;

port.on('message', (msg: { id: number; request: EngineRequest }) => {
  let response: EngineResponse;
  try {
    response = { id: msg.id, ok: true, value: handle(msg.request, (done, total) => port.postMessage({ id: msg.id, progress: { done, total } } satisfies EngineProgress)) };
  } catch (e) {
    response = { id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(response);
});
