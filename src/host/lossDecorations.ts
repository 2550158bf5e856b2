/**
 * Toggle: per-token loss on the selected text, as GLTR shows it (Gehrmann et al. 2019) —
 * each token's background coloured by the rank the model gave it (top-10 / top-100 /
 * top-1000 / beyond); hovering a token shows −log p in nats, the rank and the model's top
 * guesses there. The model is the panel's (setting transformerTracer.model; a causal LM).
 * The decorations go away when the command is run again or the text in their range changes.
 */
import * as vscode from 'vscode';
import type { Config } from './config';
import { Disposable } from './dispose';
import type { EngineClient } from './engineClient';
import { escapeMarkdown } from './hoverProvider';
import { resolveModelWithProgress } from './hub';
import { rankBucket } from '../shared/rankBuckets';
import type { PanelLoss } from '../shared/residualProtocol';
import { engineErrorText } from './engineErrorText';

/** GLTR's colours: green, yellow, red, violet — translucent so the text stays readable in light and dark themes. */
const BUCKET_BACKGROUNDS = ['rgba(46, 160, 67, 0.30)', 'rgba(210, 180, 20, 0.35)', 'rgba(220, 60, 50, 0.35)', 'rgba(150, 80, 200, 0.40)'];

/** What is decorated now: the document, the range (UTF-16 offsets) and each token with its bucket. */
export interface LossDecorationState {
  uri: string;
  start: number;
  end: number;
  perplexity: number;
  tokens: { start: number; end: number; bucket: number; nll: number; rank: number }[];
}

export class LossDecorations extends Disposable {
  private readonly types = BUCKET_BACKGROUNDS.map((backgroundColor) => this._register(vscode.window.createTextEditorDecorationType({ backgroundColor, borderRadius: '2px' })));
  private state: LossDecorationState | undefined;
  private options: vscode.DecorationOptions[][] = [];
  private run = 0;
  private busy = false;

  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>, private readonly log: vscode.OutputChannel) {
    super();
    this._register(vscode.workspace.onDidChangeTextDocument((e) => this.changed(e)));
    this._register(vscode.window.onDidChangeVisibleTextEditors(() => this.apply()));
  }

  /** What is decorated (for tests and the e2e). */
  current(): LossDecorationState | undefined { return this.state; }

  /** On: score the active editor's selection; off (when on, or while it runs): clear. */
  async toggle(): Promise<LossDecorationState | undefined> {
    if (this.state || this.busy) { this.clear(); return undefined; }
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Transformer Tracer: select the text to score first (per-token loss reads the selection).'));
      return undefined;
    }
    const run = ++this.run;
    this.busy = true;
    const doc = editor.document, base = doc.offsetAt(editor.selection.start), text = doc.getText(editor.selection);
    try {
      const model = await resolveModelWithProgress(this.config().model, this.log);
      if (!model || run !== this.run) return undefined;
      const loss = await this.engine.request({ kind: 'loss', model: model.folder, text });
      if (run !== this.run) return undefined;
      this.show(doc, base, text.length, loss);
      this.log.appendLine(`loss: ${loss.tokens.length} tokens, perplexity ${loss.perplexity.toFixed(2)}, forward ${loss.timings.forward.toFixed(1)} ms, loss ${loss.timings.loss.toFixed(1)} ms`);
      vscode.window.setStatusBarMessage(vscode.l10n.t('Per-token loss: perplexity {0} over {1} predicted tokens ({2})', loss.perplexity.toFixed(2), loss.tokens.length - 1, loss.model), 15_000);
      return this.state;
    } catch (e) {
      if (run === this.run) void vscode.window.showErrorMessage(`Transformer Tracer: ${engineErrorText(e)}`);
      return undefined;
    } finally {
      if (run === this.run) this.busy = false;
    }
  }

  private show(doc: vscode.TextDocument, base: number, length: number, loss: PanelLoss): void {
    this.options = this.types.map(() => []);
    const tokens: LossDecorationState['tokens'] = [];
    loss.tokens.forEach((t, i) => {
      const nll = loss.nll[i], rank = loss.rank[i];
      if (i === 0 || nll === null || rank === null || t.start === undefined || t.end === undefined || t.end <= t.start) return;
      const bucket = rankBucket(rank);
      tokens.push({ start: base + t.start, end: base + t.end, bucket, nll, rank });
      const range = new vscode.Range(doc.positionAt(base + t.start), doc.positionAt(base + t.end));
      this.options[bucket].push({ range, hoverMessage: hoverText(loss, i, bucket) });
    });
    this.state = { uri: doc.uri.toString(), start: base, end: base + length, perplexity: loss.perplexity, tokens };
    this.apply();
  }

  private apply(): void {
    const s = this.state;
    if (!s) return;
    for (const e of vscode.window.visibleTextEditors) {
      if (e.document.uri.toString() === s.uri) this.types.forEach((type, b) => e.setDecorations(type, this.options[b]));
    }
  }

  clear(): void {
    this.run++; // a run in flight is dropped
    this.busy = false;
    this.state = undefined;
    this.options = [];
    for (const e of vscode.window.visibleTextEditors) for (const type of this.types) e.setDecorations(type, []);
  }

  /** An edit inside the scored range clears it (the numbers no longer describe the text); one before it moves it. */
  private changed(e: vscode.TextDocumentChangeEvent): void {
    const s = this.state;
    if (!s || e.document.uri.toString() !== s.uri) return;
    for (const c of e.contentChanges) {
      const from = c.rangeOffset, to = c.rangeOffset + c.rangeLength;
      if (to < s.start) {
        const shift = c.text.length - c.rangeLength;
        s.start += shift; s.end += shift;
        for (const t of s.tokens) { t.start += shift; t.end += shift; }
      } else if (from <= s.end) { this.clear(); return; }
    }
  }
}

/** The hover of token `i`: its numbers and the model's guesses there (Markdown, every token escaped). */
export function hoverText(loss: PanelLoss, i: number, bucket = rankBucket(loss.rank[i] ?? 0)): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  const token = escapeMarkdown(loss.tokens[i].text);
  md.appendMarkdown(`**Transformer Tracer** · ${escapeMarkdown(loss.model)} · ${vscode.l10n.t('per-token loss')}\n\n`);
  md.appendMarkdown(`${token} · −log p = **${(loss.nll[i] ?? 0).toFixed(3)}** ${vscode.l10n.t('nats')} · ${vscode.l10n.t('rank')} **${loss.rank[i]}** (${bucketLabel(bucket)})\n\n`);
  const guesses = (loss.top[i] ?? []).map((g) => `${escapeMarkdown(g.text)} ${(100 * g.prob).toFixed(1)}%`).join(' · ');
  md.appendMarkdown(`${vscode.l10n.t('The model\'s top guesses here:')} ${guesses}`);
  return md;
}

function bucketLabel(bucket: number): string {
  return [vscode.l10n.t('top 10'), vscode.l10n.t('top 100'), vscode.l10n.t('top 1000'), vscode.l10n.t('beyond the top 1000')][bucket];
}
