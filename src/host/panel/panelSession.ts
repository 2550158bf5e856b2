/**
 * One webview showing Transformer Tracer — the editor-area panel (tracerPanel.ts) or the
 * docked view (tracerView.ts) — and everything it asks the host for: tokenizing,
 * traces, BPE training, attention, step traces, exports, editor linking. Messages are
 * typed (src/shared/protocol.ts) and validated; until the webview says `ready`, outgoing
 * messages wait in a queue.
 */
import * as vscode from 'vscode';
import { BPE_TEXTBOOK_TEXT } from '../../shared/bpeExample';
import { BUNDLED_MODELS } from '../../engine/model/bundledModels';
import { BUILTIN_TOKENIZERS } from '../../engine/tokenizers/builtin';
import { HostToWebview, isPanelAttention, isWebviewToHost, WebviewToHost } from '../../shared/protocol';
import { readConfig, setModel, setTokenizer } from '../config';
import { hubSettings, resolveModelWithProgress } from '../hub';
import { listCachedModels } from '../../engine/hub/hfCache';
import { formatHubId } from '../../engine/hub/hubId';
import { Disposable } from '../dispose';
import type { EngineClient } from '../engineClient';
import { PANEL_ATTENTION_FLOATS } from '../../shared/engineProtocol';
import { encodeNonFinite } from '../../shared/channelWire';
import { panelAttentionOf } from './attentionMessage';
import { formatBreakdown, markNow, timingBreakdown, type PanelTimingMarks } from '../../shared/panelTiming';
import { saveExport, openTraceFile } from './exports';
import { translateSource } from './translate';
import type { StepAttention } from '../../shared/seq2seqProtocol';
import { GenerateHandler } from './generateHandler';
import { ResidualHandler } from './residualHandler';
import { TokenizerToolsHandler } from './tokenizerToolsHandler';
import { VerifyHandler } from './verifyHandler';
import { webviewStrings } from './strings';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { codedText, engineErrorText } from '../engineErrorText';


export interface PanelInput {
  text: string;
  source: string;
  /** Where the text sits, so a clicked token can be selected in the editor. */
  document?: vscode.Uri;
  offset?: number;
  /** The document's version when the text was taken (an insert is refused once it changed). */
  version?: number;
}

export class PanelSession extends Disposable {
  static readonly all = new Set<PanelSession>();
  /** How long activate() took; shown to the webview for end-to-end measurements. */
  static activationMs = 0;
  private ready = false;
  private queue: HostToWebview[] = [];
  input: PanelInput | undefined;
  private tokenizer = readConfig().tokenizer;
  private model = readConfig().model;
  private modelFolder: { spec: string; folder: string } | undefined;
  /** Encoder–decoders: the decoder's input after its start token, typed or translated in the panel ('' = start token only). */
  private target = '';
  /** This panel's first tokenize, host side (src/shared/panelTiming.ts); the first value of each mark is kept. */
  readonly marks: PanelTimingMarks = {};
  private readonly generation: GenerateHandler;
  private readonly residualViews: ResidualHandler;
  private readonly tokenizerTools: TokenizerToolsHandler;
  private readonly verify: VerifyHandler;

  constructor(readonly webview: vscode.Webview, context: vscode.ExtensionContext, private readonly engine: EngineClient, private readonly log: vscode.OutputChannel) {
    super();
    webview.options = webviewOptions(context.extensionUri);
    webview.html = webviewHtml(webview, context.extensionUri, 'Transformer Tracer');
    this.mark('htmlSet');
    this._register(webview.onDidReceiveMessage((m: unknown) => {
      if (!isWebviewToHost(m)) { this.log.appendLine(`panel: ignored an unknown message ${JSON.stringify(m)?.slice(0, 200)}`); return; }
      void this.onMessage(m);
    }));
    PanelSession.all.add(this);
    this.generation = new GenerateHandler({ engine, post: (m) => this.post(m), folder: () => this.folder(), input: () => this.input, log });
    this.residualViews = new ResidualHandler({ engine, post: (m) => this.post(m), folder: () => this.folder(), input: () => this.input, log });
    this.tokenizerTools = new TokenizerToolsHandler({ engine, post: (m) => this.post(m), input: () => this.input, log });
    this.verify = new VerifyHandler(engine, (m) => this.post(m));
  }

  override dispose(): void {
    this.generation.cancel();
    PanelSession.all.delete(this);
    super.dispose();
  }

  mark(name: string, at = markNow()): void {
    this.marks[name] ??= at;
  }

  post(msg: HostToWebview): void {
    if (this.ready) this.send(msg); else this.queue.push(msg);
  }

  /** The one place a message leaves for the webview: numbers JSON would lose (−∞ of a masked key, NaN) are spelled out (channelWire.ts). */
  private send(msg: HostToWebview): void {
    void this.webview.postMessage(encodeNonFinite(msg));
  }

  async update(input: PanelInput): Promise<void> {
    if (input.text !== this.input?.text) this.target = ''; // a new source: the old target does not translate it
    this.input = input;
    await this.tokenize();
  }

  /** The editor cursor moved in `doc` at `offset`: tell the webview where, if it shows that text. */
  cursorMoved(doc: vscode.Uri, offset: number): void {
    const input = this.input;
    if (!input?.document || input.offset === undefined || input.document.toString() !== doc.toString()) return;
    const inside = offset - input.offset;
    if (inside >= 0 && inside <= input.text.length) this.post({ type: 'cursor', offset: inside });
  }

  private async tokenize(): Promise<void> {
    if (!this.input) return;
    const config = readConfig();
    this.post({ type: 'busy', what: vscode.l10n.t('Tokenizing with {0}…', this.tokenizer) });
    try {
      this.mark('tokenizeStart');
      // as UTF-8 JSON bytes the host only passes on (src/shared/tokensWire.ts): a 5 MB selection's answer as objects or as a string stalled its loop
      const bytes = await this.engine.request({ kind: 'tokenizeBytes', tokenizer: this.tokenizer, text: this.input.text, source: this.input.source, special: config.specialTokens, limit: config.panelTokenLimit });
      this.mark('tokenizeDone');
      this.post({ type: 'tokensBytes', bytes });
      void this.verify.tokens(this.tokenizer, this.input.text, config.specialTokens); // the badge, after the answer
    } catch (e) {
      this.post({ type: 'error', message: engineErrorText(e) });
    }
  }

  private async onMessage(m: WebviewToHost): Promise<void> {
    const config = readConfig();
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        this.mark('ready');
        const tokenizers = [...BUILTIN_TOKENIZERS.filter((t) => t !== 'r50k_base')];
        if (!tokenizers.includes(this.tokenizer as (typeof tokenizers)[number])) tokenizers.push(this.tokenizer as (typeof tokenizers)[number]);
        // the bundled models, the runnable ones in the Hugging Face cache, and the current one
        const cached = listCachedModels(hubSettings().cacheDir).filter((c) => !c.problem).map(formatHubId);
        const models = [...new Set<string>([...BUNDLED_MODELS, ...cached, this.model])];
        this.send({
          type: 'init', tokenizers, current: this.tokenizer, specialTokens: config.specialTokens, locale: vscode.env.language,
          activationMs: PanelSession.activationMs, models, model: this.model, strings: webviewStrings(),
        } satisfies HostToWebview);
        for (const q of this.queue.splice(0)) this.send(q);
        break;
      }
      case 'timing': {
        const marks = { ...this.marks, ...m.marks };
        this.log.appendLine(`panel timing: ${formatBreakdown(timingBreakdown(marks))}`);
        this.post({ type: 'timing', marks: this.marks });
        break;
      }
      case 'pickTokenizer':
        this.tokenizer = m.name;
        await setTokenizer(m.name);
        await this.tokenize();
        break;
      case 'pickModel':
        await setModel(m.name);
        await this.useModel(m.name);
        break;
      case 'requestMaskDemo':
        await this.maskDemo(m.seed);
        break;
      case 'inspectToken':
        if (!this.input) return;
        try {
          this.post({ type: 'trace', result: await this.engine.request({ kind: 'trace', tokenizer: this.tokenizer, text: this.input.text, special: config.specialTokens, tokenIndex: m.index }) });
        } catch (e) { this.post({ type: 'error', message: engineErrorText(e) }); }
        break;
      case 'train': {
        const text = m.example ? BPE_TEXTBOOK_TEXT : this.input?.text;
        if (text === undefined) return;
        this.post({ type: 'busy', what: m.example ? vscode.l10n.t('Training BPE on the textbook example…') : vscode.l10n.t('Training BPE on the selection…') });
        try {
          this.post({ type: 'trained', result: await this.engine.request({ kind: 'train', text, mode: m.mode, merges: m.merges, minFrequency: m.minFrequency }) });
        } catch (e) { this.post({ type: 'error', message: engineErrorText(e) }); }
        break;
      }
      case 'revealToken':
        await this.revealToken(m.index);
        break;
      case 'revealRange':
        await this.reveal(m.start, m.end);
        break;
      case 'requestAttention':
        await this.attention();
        break;
      case 'setTarget':
        this.target = m.target;
        await this.attention();
        break;
      case 'requestTranslate':
        await this.translate(m.maxNewTokens);
        break;
      case 'requestGenerate': await this.generation.start(m.settings); break;
      case 'cancelGenerate': this.generation.cancel(); break;
      case 'insertGeneration': await this.generation.insert(m.run); break;
      case 'requestResidual': await this.residualViews.residual(); break;
      case 'requestCompare': await this.tokenizerTools.compare(m.tokenizers); break;
      case 'requestChat': await this.tokenizerTools.chat({ tokenizer: m.tokenizer, messages: m.messages, addGenerationPrompt: m.addGenerationPrompt, genericTemplate: m.genericTemplate }, m.selectionAsUser); break;
      case 'requestEmbedding': await this.residualViews.embedding({ word: m.word, contextA: m.contextA, contextB: m.contextB, ...(m.tokenId !== undefined ? { tokenId: m.tokenId } : {}) }); break;
      case 'requestStep':
        await this.step(m.layer, m.head, m.query, m.attention);
        break;
      case 'export':
        try {
          const where = await saveExport(m.format, m.fileName, m.data);
          if (where) this.log.appendLine(`exported ${where}`);
        } catch (e) { void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Tracer: could not export: {0}', (e as Error).message)); }
        break;
      case 'openTrace':
        try {
          const trace = await openTraceFile();
          if (trace && isPanelAttention(trace)) this.post({ type: 'attention', result: trace });
          else if (trace) void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Tracer: that file is not a trace saved by Transformer Tracer (its shapes do not match).'));
        } catch (e) { void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Tracer: could not open the trace: {0}', (e as Error).message)); }
        break;
    }
  }

  /** Show `spec` (bundled name, folder or Hub id) from now on. */
  async useModel(spec: string): Promise<void> {
    this.model = spec;
    this.modelFolder = undefined;
    await this.attention();
  }

  /** The folder behind the model setting: a Hub model is found in the cache or downloaded (with a progress notification). */
  private async folder(): Promise<string | undefined> {
    if (this.modelFolder?.spec === this.model) return this.modelFolder.folder;
    const r = await resolveModelWithProgress(this.model, this.log);
    if (r) this.modelFolder = { spec: this.model, folder: r.folder };
    return r?.folder;
  }

  /** Run the chosen model on the selection (in the worker) and send its attention. */
  private async attention(): Promise<void> {
    if (!this.input) return;
    const model = this.model;
    this.post({ type: 'busy', what: vscode.l10n.t('Running {0}…', model) });
    try {
      const folder = await this.folder();
      if (!folder) { this.post({ type: 'attentionError', message: vscode.l10n.t('Download of {0} cancelled.', model) }); return; }
      const loading = (done: number, total: number) => this.post({ type: 'busy', what: vscode.l10n.t('Loading {0}: {1} / {2} MB', model, (done / 1e6).toFixed(0), (total / 1e6).toFixed(0)) });
      const a = await this.engine.attention({ model: folder, text: this.input.text, ...(this.target ? { target: this.target } : {}), record: 'weights', maxAttentionFloats: PANEL_ATTENTION_FLOATS }, loading).result;
      this.post({ type: 'attention', result: panelAttentionOf(a, codedText) });
      void this.verify.attention(folder, this.input.text); // the badge, after the answer
    } catch (e) {
      this.post({ type: 'attentionError', message: engineErrorText(e) });
    }
  }

  private async step(layer: number, head: number, query: number, attention?: StepAttention): Promise<void> {
    if (!this.input) return;
    try {
      const folder = await this.folder();
      if (!folder) return;
      this.post({ type: 'step', trace: await this.engine.request({ kind: 'step', model: folder, text: this.input.text, layer, head, query, maxAttentionFloats: PANEL_ATTENTION_FLOATS, ...(attention ? { attention, target: this.target } : {}) }) });
    } catch (e) {
      this.post({ type: 'stepError', message: engineErrorText(e) });
    }
  }

  /** Greedy decoding of the selection; the view puts the text in its target box (and asks for the attention on it). */
  private async translate(maxNewTokens: number): Promise<void> {
    if (!this.input) return;
    try {
      const folder = await this.folder();
      if (!folder) return;
      this.post({ type: 'translated', ...(await translateSource(this.engine, folder, this.input.text, maxNewTokens)) });
    } catch (e) {
      this.post({ type: 'translateError', message: engineErrorText(e) });
    }
  }

  private async maskDemo(seed: number): Promise<void> {
    if (!this.input) return;
    try {
      const folder = await this.folder();
      if (!folder) return;
      this.post({ type: 'maskDemo', result: await this.engine.request({ kind: 'maskDemo', model: folder, text: this.input.text, seed }) });
    } catch (e) {
      this.post({ type: 'maskDemoError', message: engineErrorText(e) });
    }
  }

  /** Select the clicked token's characters in the editor it came from. */
  private async revealToken(index: number): Promise<void> {
    const input = this.input;
    if (!input) return;
    const result = await this.engine.request({ kind: 'tokenize', tokenizer: this.tokenizer, text: input.text, source: input.source, special: readConfig().specialTokens, limit: index + 1 });
    const token = result.tokens[index];
    if (token && token.end > token.start) await this.reveal(token.start, token.end);
  }

  private async reveal(start: number, end: number): Promise<void> {
    const input = this.input;
    if (!input?.document || input.offset === undefined || end > input.text.length) return;
    if (input.document.scheme !== 'file' && input.document.scheme !== 'untitled' && input.document.scheme !== 'vscode-remote') {
      this.log.appendLine(`reveal: ${input.document.scheme}: documents are opened as they are`);
    }
    const doc = await vscode.workspace.openTextDocument(input.document);
    const range = new vscode.Range(doc.positionAt(input.offset + start), doc.positionAt(input.offset + end));
    const editor = await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.One, preserveFocus: false, selection: range });
    editor.revealRange(range);
  }
}
