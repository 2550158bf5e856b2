/**
 * The host's side of the panel's Generate view: runs the engine's generate on the
 * selection (in the worker), relays the start and each new token to the webview as they
 * come, cancels on request (the tokens made so far stay), and inserts the continuation
 * after the selection as one undoable edit when the user presses the button — refused,
 * with the reason, when the document changed since the selection was taken.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engineClient';
import { PANEL_ATTENTION_FLOATS } from '../../shared/engineProtocol';
import type { GenerateSettings } from '../../shared/generateProtocol';
import type { HostToWebview } from '../../shared/protocol';
import type { PanelInput } from './panelSession';
import { codedText, engineErrorText } from '../engineErrorText';

/** Steps re-run without the cache for the measured comparison (each re-reads the whole prefix). */
const COMPARE_STEPS = 8;

export interface GenerateHost {
  engine: EngineClient;
  post(m: HostToWebview): void;
  /** The model folder behind the setting (a Hub model is found or downloaded first). */
  folder(): Promise<string | undefined>;
  input(): PanelInput | undefined;
  log: vscode.OutputChannel;
}

export class GenerateHandler {
  private run = 0;
  private cancelCurrent: (() => void) | undefined;
  /** What each finished run made, for "insert into editor": the text and the input it continued. */
  private readonly made = new Map<number, { text: string; input: PanelInput }>();

  constructor(private readonly host: GenerateHost) {}

  async start(settings: GenerateSettings): Promise<void> {
    const input = this.host.input();
    this.cancel();
    const run = ++this.run;
    if (!input) { this.host.post({ type: 'generateError', run, message: vscode.l10n.t('Select some text in an editor first: it is the prompt the model continues.') }); return; }
    try {
      const folder = await this.host.folder();
      if (!folder) { this.host.post({ type: 'generateError', run, message: vscode.l10n.t('The model download was cancelled.') }); return; }
      if (run !== this.run) return;
      const job = this.host.engine.generate({
        model: folder, text: input.text, settings, maxAttentionFloats: PANEL_ATTENTION_FLOATS, compareWithoutCache: COMPARE_STEPS, topShown: 5,
      }, (e) => {
        if (e.kind === 'start') { const { kind: _, noticeCoded, ...start } = e; this.host.post({ type: 'generateStart', run, settings, ...start, ...(noticeCoded ? { notice: noticeCoded.map(codedText).join(' ') } : {}) }); }
        else this.host.post({ type: 'generateStep', run, index: e.index, step: e.step });
      });
      this.cancelCurrent = job.cancel;
      const summary = await job.result;
      if (this.run === run) this.cancelCurrent = undefined;
      this.made.set(run, { text: summary.text, input });
      for (const old of this.made.keys()) if (old < run - 4) this.made.delete(old);
      this.host.post({ type: 'generateDone', run, summary });
    } catch (e) {
      const message = (e as Error).message;
      this.host.post({ type: 'generateError', run, message: engineErrorText(e), ...(/not a generative model/.test(message) ? { notGenerative: true } : {}) });
    }
  }

  cancel(): void {
    this.cancelCurrent?.();
    this.cancelCurrent = undefined;
  }

  /** Insert run `run`'s continuation at the end of the selection it continued, as one undoable edit. */
  async insert(run: number): Promise<void> {
    const made = this.made.get(run);
    const reply = (ok: boolean, message: string) => this.host.post({ type: 'generateInserted', run, ok, message });
    if (!made) { reply(false, vscode.l10n.t('That continuation is no longer kept: generate again.')); return; }
    const { input, text } = made;
    if (!input.document || input.offset === undefined) { reply(false, vscode.l10n.t('This text did not come from an editor, so there is nowhere to insert it.')); return; }
    if (text === '') { reply(false, vscode.l10n.t('The continuation is empty: nothing to insert.')); return; }
    let doc: vscode.TextDocument;
    try { doc = await vscode.workspace.openTextDocument(input.document); } catch (e) { reply(false, (e as Error).message); return; }
    const end = input.offset + input.text.length;
    const same = input.version !== undefined ? doc.version === input.version
      : end <= doc.getText().length && doc.getText(new vscode.Range(doc.positionAt(input.offset), doc.positionAt(end))) === input.text;
    if (!same) { reply(false, vscode.l10n.t('The document changed since the selection was taken, so nothing was inserted. Select the prompt again and generate.')); return; }
    const edit = new vscode.WorkspaceEdit();
    const at = doc.positionAt(end);
    edit.insert(doc.uri, at, text);
    const ok = await vscode.workspace.applyEdit(edit);
    this.host.log.appendLine(`generate: ${ok ? 'inserted' : 'could not insert'} ${text.length} characters at ${doc.uri.toString()}:${at.line + 1}:${at.character + 1}`);
    reply(ok, ok ? vscode.l10n.t('Inserted {0} characters after the selection (Undo takes them out).', text.length) : vscode.l10n.t('VS Code refused the edit (is the document read-only?).'));
  }
}
