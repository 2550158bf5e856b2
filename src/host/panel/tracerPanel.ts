/**
 * The side panel: one WebviewPanel showing the tokens of the last selection, the trace
 * of a clicked token and BPE training. Messages are typed (src/shared/protocol.ts) and
 * validated; until the webview says `ready`, outgoing messages wait in a queue.
 */
import * as vscode from 'vscode';
import { BUILTIN_TOKENIZERS } from '../../engine/tokenizers/builtin';
import { HostToWebview, isWebviewToHost, WebviewToHost } from '../../shared/protocol';
import { readConfig, setTokenizer } from '../config';
import { Disposable } from '../dispose';
import type { EngineClient } from '../engineClient';
import { webviewHtml, webviewOptions } from './webviewHtml';

export const PANEL_VIEW_TYPE = 'transformerTracer.panel';

export interface PanelInput {
  text: string;
  source: string;
  /** Where the text sits, so a clicked token can be selected in the editor. */
  document?: vscode.Uri;
  offset?: number;
}

export class TracerPanel extends Disposable {
  private static current: TracerPanel | undefined;
  /** How long activate() took; shown to the webview for end-to-end measurements. */
  static activationMs = 0;
  private ready = false;
  private queue: HostToWebview[] = [];
  private input: PanelInput | undefined;
  private tokenizer = readConfig().tokenizer;

  static show(context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel, input: PanelInput, tab: 'tokens' | 'train' = 'tokens'): TracerPanel {
    if (!TracerPanel.current) {
      const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Transformer Tracer', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(context.extensionUri));
      TracerPanel.current = new TracerPanel(panel, context, engine, log);
    } else TracerPanel.current.panel.reveal(vscode.ViewColumn.Beside, true);
    TracerPanel.current.post({ type: 'showTab', tab });
    void TracerPanel.current.update(input);
    return TracerPanel.current;
  }

  /** After a window reload (registerWebviewPanelSerializer). */
  static revive(panel: vscode.WebviewPanel, context: vscode.ExtensionContext, engine: EngineClient, log: vscode.OutputChannel): void {
    panel.webview.options = webviewOptions(context.extensionUri);
    TracerPanel.current?.dispose();
    TracerPanel.current = new TracerPanel(panel, context, engine, log);
  }

  private constructor(private readonly panel: vscode.WebviewPanel, private readonly context: vscode.ExtensionContext, private readonly engine: EngineClient, private readonly log: vscode.OutputChannel) {
    super();
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'Transformer Tracer');
    this._register(panel.onDidDispose(() => this.dispose()));
    this._register(panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewToHost(m)) { this.log.appendLine(`panel: ignored an unknown message ${JSON.stringify(m)?.slice(0, 200)}`); return; }
      void this.onMessage(m);
    }));
  }

  override dispose(): void {
    if (TracerPanel.current === this) TracerPanel.current = undefined;
    this.panel.dispose();
    super.dispose();
  }

  private post(msg: HostToWebview): void {
    if (this.ready) void this.panel.webview.postMessage(msg); else this.queue.push(msg);
  }

  async update(input: PanelInput): Promise<void> {
    this.input = input;
    await this.tokenize();
  }

  private async tokenize(): Promise<void> {
    if (!this.input) return;
    const config = readConfig();
    this.post({ type: 'busy', what: `Tokenizing with ${this.tokenizer}…` });
    try {
      const result = await this.engine.request({ kind: 'tokenize', tokenizer: this.tokenizer, text: this.input.text, source: this.input.source, special: config.specialTokens, limit: config.panelTokenLimit });
      this.post({ type: 'tokens', result });
    } catch (e) {
      this.post({ type: 'error', message: (e as Error).message });
    }
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    const config = readConfig();
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        const tokenizers = [...BUILTIN_TOKENIZERS.filter((t) => t !== 'r50k_base')];
        if (!tokenizers.includes(this.tokenizer as (typeof tokenizers)[number])) tokenizers.push(this.tokenizer as (typeof tokenizers)[number]);
        void this.panel.webview.postMessage({ type: 'init', tokenizers, current: this.tokenizer, specialTokens: config.specialTokens, locale: vscode.env.language, activationMs: TracerPanel.activationMs } satisfies HostToWebview);
        for (const q of this.queue.splice(0)) void this.panel.webview.postMessage(q);
        break;
      }
      case 'pickTokenizer':
        this.tokenizer = m.name;
        await setTokenizer(m.name);
        await this.tokenize();
        break;
      case 'inspectToken':
        if (!this.input) return;
        try {
          this.post({ type: 'trace', result: await this.engine.request({ kind: 'trace', tokenizer: this.tokenizer, text: this.input.text, special: config.specialTokens, tokenIndex: m.index }) });
        } catch (e) { this.post({ type: 'error', message: (e as Error).message }); }
        break;
      case 'train':
        if (!this.input) return;
        this.post({ type: 'busy', what: 'Training BPE on the selection…' });
        try {
          this.post({ type: 'trained', result: await this.engine.request({ kind: 'train', text: this.input.text, mode: m.mode, merges: m.merges, minFrequency: m.minFrequency }) });
        } catch (e) { this.post({ type: 'error', message: (e as Error).message }); }
        break;
      case 'revealToken':
        await this.reveal(m.index);
        break;
      case 'requestAttention':
        await this.attention();
        break;
    }
  }

  /** Run the configured model on the selection (in the worker) and send its attention. */
  private async attention(): Promise<void> {
    const { model } = readConfig();
    if (!this.input) return;
    this.post({ type: 'busy', what: `Running ${model}…` });
    try {
      const a = await this.engine.attention({ model, text: this.input.text, record: 'weights' }).result;
      this.post({
        type: 'attention',
        result: {
          model: a.model, description: a.description, tokens: a.tokens, layers: a.layers, heads: a.heads, T: a.T, notice: a.notice,
          weights: a.attentions, nextTokenTop: a.nextTokenTop, maskTop: a.maskTop, namedHeads: a.namedHeads, forwardMs: a.timings.forward,
        },
      });
    } catch (e) {
      this.post({ type: 'attentionError', message: (e as Error).message });
    }
  }

  /** Select the clicked token's characters in the editor it came from. */
  private async reveal(index: number): Promise<void> {
    const input = this.input;
    if (!input?.document || input.offset === undefined) return;
    const result = await this.engine.request({ kind: 'tokenize', tokenizer: this.tokenizer, text: input.text, source: input.source, special: readConfig().specialTokens, limit: index + 1 });
    const token = result.tokens[index];
    if (!token || token.end <= token.start) return;
    const doc = await vscode.workspace.openTextDocument(input.document);
    const range = new vscode.Range(doc.positionAt(input.offset + token.start), doc.positionAt(input.offset + token.end));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
    editor.revealRange(range);
  }
}
