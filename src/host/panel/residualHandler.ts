/**
 * The host's side of the panel's Residual stream tab: runs the logit lens and per-token
 * loss on the selection (one engine request, one forward pass) and the embeddings view's
 * question (a word in two texts), and relays the answers or the reason they failed — a
 * model without a causal LM head (BERT, encoder–decoders) is named as such.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engineClient';
import type { HostToWebview } from '../../shared/protocol';
import type { EmbeddingAsk } from '../../shared/residualProtocol';
import type { PanelInput } from './panelSession';
import { codedText, engineErrorText } from '../engineErrorText';
import type { CodedError } from '../../shared/engineErrors';

export interface ResidualHost {
  engine: EngineClient;
  post(m: HostToWebview): void;
  /** The model folder behind the setting (a Hub model is found or downloaded first). */
  folder(): Promise<string | undefined>;
  input(): PanelInput | undefined;
  log: vscode.OutputChannel;
}

/** The engine's refusals of a model that is not a causal LM (residualStream.ts checkLanguageModel). */
export const NOT_CAUSAL = /needs a causal language model|needs the model's LM head/;

export class ResidualHandler {
  /** Answers of an older request are dropped when a newer one was made meanwhile. */
  private latest = 0;

  constructor(private readonly host: ResidualHost) {}

  async residual(): Promise<void> {
    const input = this.host.input();
    const run = ++this.latest;
    if (!input) { this.host.post({ type: 'residualError', message: vscode.l10n.t('Select some text in an editor first: the lens and the loss read it.') }); return; }
    try {
      const folder = await this.host.folder();
      if (!folder) { this.host.post({ type: 'residualError', message: vscode.l10n.t('The model download was cancelled.') }); return; }
      const answer = await this.host.engine.request({ kind: 'lens', model: folder, text: input.text });
      if (run !== this.latest) return;
      const t = answer.lens.timings;
      this.host.log.appendLine(`residual: ${answer.lens.T} tokens, forward ${t.forward.toFixed(1)} ms, lens ${t.lens.toFixed(1)} ms, loss ${t.loss.toFixed(1)} ms`);
      const { lossProblemCoded, lossProblemL10n, ...shown } = answer;
      const translated = <T extends { notice?: string; noticeCoded?: CodedError[] }>(x: T): T => (x.noticeCoded ? { ...x, notice: x.noticeCoded.map(codedText).join(' ') } : x);
      this.host.post({ type: 'residual', ...shown, lens: translated(shown.lens), ...(shown.loss ? { loss: translated(shown.loss) } : {}), ...(shown.lossProblem ? { lossProblem: engineErrorText({ message: shown.lossProblem, coded: lossProblemCoded, l10n: lossProblemL10n }) } : {}) });
    } catch (e) {
      const message = (e as Error).message;
      if (run === this.latest) this.host.post({ type: 'residualError', message: engineErrorText(e), ...(NOT_CAUSAL.test(message) ? { notCausal: true } : {}) });
    }
  }

  async embedding(ask: EmbeddingAsk): Promise<void> {
    try {
      const folder = await this.host.folder();
      if (!folder) { this.host.post({ type: 'embeddingError', message: vscode.l10n.t('The model download was cancelled.') }); return; }
      this.host.post({ type: 'embedding', result: await this.host.engine.request({ kind: 'embedding', model: folder, ...ask }) });
    } catch (e) {
      this.host.post({ type: 'embeddingError', message: engineErrorText(e) });
    }
  }
}
