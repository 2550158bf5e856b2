/**
 * The host's handle on the engine worker thread (dist/engineWorker.js). Requests are
 * promises; the worker starts lazily on first use and restarts if it dies. The host's
 * event loop never runs tokenization itself.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineAnswers, EngineProgress, EngineRequest, EngineResponse } from '../shared/engineProtocol';

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (done: number, total: number) => void }>();

  constructor(private readonly distDir: string) {}

  /**
   * A model run that can be stopped: `cancel()` flips a shared flag the forward pass
   * checks between heads; the promise then rejects with "cancelled".
   */
  attention(req: Omit<Extract<EngineRequest, { kind: 'attention' }>, 'kind' | 'cancel'>, onLoadProgress?: (done: number, total: number) => void): { result: Promise<EngineAnswers['attention']>; cancel: () => void } {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    return { result: this.request({ kind: 'attention', ...req, cancel: flag }, onLoadProgress), cancel: () => Atomics.store(flag, 0, 1) };
  }

  request<K extends EngineRequest['kind']>(req: Extract<EngineRequest, { kind: K }>, onProgress?: (done: number, total: number) => void): Promise<EngineAnswers[K]> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<EngineAnswers[K]>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      worker.postMessage({ id, request: req });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(path.join(this.distDir, 'engineWorker.js'));
    w.on('message', (res: EngineResponse | EngineProgress) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      if ('progress' in res) { p.onProgress?.(res.progress.done, res.progress.total); return; }
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value); else p.reject(new Error(res.error));
    });
    const fail = (err: Error) => {
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.worker = undefined;
    };
    w.on('error', fail);
    w.on('exit', (code) => { if (this.worker === w) fail(new Error(`the engine worker stopped (exit code ${code})`)); });
    this.worker = w;
    return w;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
