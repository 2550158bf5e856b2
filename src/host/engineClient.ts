/**
 * The host's handle on the engine worker thread (dist/engineWorker.js). Requests are
 * promises; the worker starts lazily on first use and restarts if it dies. The host's
 * event loop never runs tokenization itself.
 *
 * Time budget: a tokenizer request (tokenize, count, trace, hover) that has not answered
 * within `budgetMs` (plus 5 ms per 1,000 characters of text) is stopped by terminating the worker — the only way to interrupt a
 * regex that backtracks for ever (a hostile tokenizer.json pattern) — and fails with
 * EngineTimeoutError; the next request starts a fresh worker. Model runs have no budget:
 * they are cancelled through their flag.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EngineAnswers, EngineProgress, EngineRequest, EngineResponse, EngineStreamed } from '../shared/engineProtocol';
import type { GenerateEvent, GenerateRequest } from '../shared/generateProtocol';
import { withCode } from '../shared/engineErrors';
import { asL10nText, withL10nText } from '../shared/l10nText';

/** A request stopped after the time budget; `message` is what the user sees. */
export class EngineTimeoutError extends Error {
  override name = 'EngineTimeoutError';
}

/** Kinds of request that run a tokenizer over user text, and so run under the budget. */
const BUDGETED: ReadonlySet<EngineRequest['kind']> = new Set(['tokenize', 'tokenizeBytes', 'count', 'trace', 'hover']);

export interface EngineClientOptions {
  /** Tokenizer requests stop after this long (default 20 s). */
  budgetMs?: number;
  /** The message of an EngineTimeoutError (the host passes a localised one). */
  timeoutMessage?: (seconds: number, kind: string) => string;
}

const englishTimeout = (seconds: number, kind: string) =>
  `The tokenizer did not finish within ${seconds} s on this text (${kind}) and was stopped; with a tokenizer.json, one of its patterns may backtrack on this text. The engine was restarted.`;

/** Extra time per 1,000 characters, so a large selection (BERT on 5 MB: ~13 s) is not cut by the budget. */
const BUDGET_MS_PER_1000_CHARS = 5;

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onProgress?: (done: number, total: number) => void; onStream?: (e: GenerateEvent) => void }>();

  private readonly budgetMs: number;
  private readonly timeoutMessage: (seconds: number, kind: string) => string;

  constructor(private readonly distDir: string, options: EngineClientOptions = {}) {
    this.budgetMs = options.budgetMs ?? 20_000;
    this.timeoutMessage = options.timeoutMessage ?? englishTimeout;
  }

  /**
   * A model run that can be stopped: `cancel()` flips a shared flag the forward pass
   * checks between heads; the promise then rejects with "cancelled".
   */
  attention(req: Omit<Extract<EngineRequest, { kind: 'attention' }>, 'kind' | 'cancel'>, onLoadProgress?: (done: number, total: number) => void): { result: Promise<EngineAnswers['attention']>; cancel: () => void } {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    return { result: this.request({ kind: 'attention', ...req, cancel: flag }, onLoadProgress), cancel: () => Atomics.store(flag, 0, 1) };
  }

  /**
   * Continue a prompt: `onEvent` gets the start and each new token as the worker makes them;
   * `cancel()` flips the shared flag, and the promise resolves with what was made (stopped by "cancelled").
   */
  generate(req: Omit<GenerateRequest, 'kind' | 'cancel'>, onEvent: (e: GenerateEvent) => void): { result: Promise<EngineAnswers['generate']>; cancel: () => void } {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    return { result: this.request({ kind: 'generate', ...req, cancel: flag }, undefined, onEvent), cancel: () => Atomics.store(flag, 0, 1) };
  }

  request<K extends EngineRequest['kind']>(req: Extract<EngineRequest, { kind: K }>, onProgress?: (done: number, total: number) => void, onStream?: (e: GenerateEvent) => void): Promise<EngineAnswers[K]> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<EngineAnswers[K]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = <T>(f: (v: T) => void) => (v: T) => { if (timer) clearTimeout(timer); f(v); };
      this.pending.set(id, { resolve: settle(resolve as (v: unknown) => void), reject: settle(reject), onProgress, onStream });
      if (BUDGETED.has(req.kind)) {
        const chars = 'text' in req && typeof req.text === 'string' ? req.text.length : 'line' in req ? req.line.length : 0;
        const budget = this.budgetMs + Math.ceil(chars / 1000) * BUDGET_MS_PER_1000_CHARS;
        timer = setTimeout(() => this.stopWorker(worker, new EngineTimeoutError(this.timeoutMessage(Math.round(budget / 100) / 10, req.kind))), budget);
        timer.unref?.();
      }
      worker.postMessage({ id, request: req });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(path.join(this.distDir, 'engineWorker.js'));
    w.on('message', (res: EngineResponse | EngineProgress | EngineStreamed) => {
      const p = this.pending.get(res.id);
      if (!p) return;
      if ('streamed' in res) { p.onStream?.(res.streamed); return; }
      if ('progress' in res) { p.onProgress?.(res.progress.done, res.progress.total); return; }
      this.pending.delete(res.id);
      if (res.ok) p.resolve(res.value); else p.reject(engineError(res));
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

  /** Terminate `worker` (if still current): its pending requests reject with `err`; the next request starts another. */
  private stopWorker(worker: Worker, err: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    void worker.terminate();
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}

/** The worker's error as an Error with the code and translatable text it carried (the panel translates them). */
function engineError(res: Extract<EngineResponse, { ok: false }>): Error {
  const e = res.coded ? withCode(new Error(res.error), res.coded.code, ...res.coded.args) : new Error(res.error);
  const text = asL10nText(res.l10n);
  return text ? withL10nText(e, text) : e;
}
