/**
 * The host's side of the panel's Compare & chat view: runs the comparison of 2–8 tokenizers
 * on the selection, and a chat template on the view's messages (the selection as the last
 * user message when asked), both in the engine worker, and relays the answers or the reason
 * they failed — a tokenizer without a chat template is flagged so the view can offer the
 * generic one as an explicit choice.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engineClient';
import type { HostToWebview } from '../../shared/protocol';
import { COMPARE_SHOWN_CHARS, type ChatAsk } from '../../shared/tokenizerToolsProtocol';
import type { PanelInput } from './panelSession';

export interface TokenizerToolsHost {
  engine: EngineClient;
  post(m: HostToWebview): void;
  input(): PanelInput | undefined;
  log: vscode.OutputChannel;
}

/** The engine's refusal of a tokenizer without a chat template (chatTemplate.ts NoChatTemplateError). */
export const NO_TEMPLATE = /has no chat template|without a chat template/;

export class TokenizerToolsHandler {
  private latestCompare = 0;
  private latestChat = 0;

  constructor(private readonly host: TokenizerToolsHost) {}

  async compare(tokenizers: string[]): Promise<void> {
    const input = this.host.input();
    const run = ++this.latestCompare;
    if (!input) { this.host.post({ type: 'compareError', message: vscode.l10n.t('Select some text in an editor first: the tokenizers are compared on it.') }); return; }
    try {
      const t0 = Date.now();
      const result = await this.host.engine.request({ kind: 'compare', tokenizers, text: input.text, shownChars: COMPARE_SHOWN_CHARS });
      if (run !== this.latestCompare) return;
      this.host.log.appendLine(`compare: ${tokenizers.join(', ')} on ${input.text.length} characters in ${Date.now() - t0} ms`);
      this.host.post({ type: 'compared', result });
    } catch (e) {
      if (run === this.latestCompare) this.host.post({ type: 'compareError', message: (e as Error).message });
    }
  }

  async chat(ask: ChatAsk, selectionAsUser: boolean): Promise<void> {
    const run = ++this.latestChat;
    const input = this.host.input();
    if (selectionAsUser && !input) { this.host.post({ type: 'chatError', message: vscode.l10n.t('Select some text in an editor first: it is the user message.') }); return; }
    const messages = selectionAsUser && input ? [...ask.messages, { role: 'user', content: input.text }] : ask.messages;
    try {
      const result = await this.host.engine.request({ kind: 'chat', ...ask, messages });
      if (run === this.latestChat) this.host.post({ type: 'chatted', result });
    } catch (e) {
      const message = (e as Error).message;
      if (run === this.latestChat) this.host.post({ type: 'chatError', message, ...(NO_TEMPLATE.test(message) ? { noTemplate: true } : {}) });
    }
  }
}
