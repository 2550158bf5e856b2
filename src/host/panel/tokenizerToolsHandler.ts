/**
 * The host's side of the panel's Compare & chat view: runs the comparison of 2–8 tokenizers
 * on the selection, and a chat template on the view's messages (the selection as the last
 * user message when asked), both in the engine worker, and relays the answers or the reason
 * they failed — a tokenizer without a chat template is flagged so the view can offer the
 * generic one as an explicit choice. A Hub id whose tokenizer is not in the cache has its
 * tokenizer.json and tokenizer_config.json fetched first, here in the host (network I/O; the
 * worker then reads the cache), with the refusals in the display language.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engineClient';
import type { HostToWebview } from '../../shared/protocol';
import { COMPARE_SHOWN_CHARS, type ChatAsk } from '../../shared/tokenizerToolsProtocol';
import type { PanelInput } from './panelSession';
import { GatedRepoError } from '../../engine/hub/gatedRepo';
import { fetchHubTokenizers, TokenizerFileTooLargeError, TokenizerNotOnHubError } from '../../engine/hub/hubTokenizer';
import { hubSettings } from '../hub';
import { gatedMessage } from '../hubMessages';
import { engineErrorText } from '../engineErrorText';

export interface TokenizerToolsHost {
  engine: EngineClient;
  post(m: HostToWebview): void;
  input(): PanelInput | undefined;
  log: vscode.OutputChannel;
}

/** A Hub refusal of a tokenizer download, in the display language; other errors as they are. */
export function hubTokenizerMessage(e: unknown): string {
  if (e instanceof GatedRepoError) return gatedMessage(e.info);
  if (e instanceof TokenizerNotOnHubError) return vscode.l10n.t('{0}: no tokenizer.json on {1} (the Hub answered 404: the repo does not exist, or has no tokenizer.json at this revision).', e.id, e.endpoint);
  if (e instanceof TokenizerFileTooLargeError) return vscode.l10n.t('{0}: {1} is {2} MB, over the {3} MiB the engine reads; it was not downloaded.', e.id, e.file, (e.size / 1e6).toFixed(1), e.limit / 2 ** 20);
  return engineErrorText(e);
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
      await this.fetchHub(tokenizers);
      if (run !== this.latestCompare) return;
      const result = await this.host.engine.request({ kind: 'compare', tokenizers, text: input.text, shownChars: COMPARE_SHOWN_CHARS });
      if (run !== this.latestCompare) return;
      this.host.log.appendLine(`compare: ${tokenizers.join(', ')} on ${input.text.length} characters in ${Date.now() - t0} ms`);
      this.host.post({ type: 'compared', result });
    } catch (e) {
      if (run === this.latestCompare) this.host.post({ type: 'compareError', message: hubTokenizerMessage(e) });
    }
  }

  /** Hub ids among `specs` whose tokenizer is not cached: fetched now (logged), or the refusal thrown. */
  private async fetchHub(specs: string[]): Promise<void> {
    for (const id of await fetchHubTokenizers(specs, hubSettings())) this.host.log.appendLine(`fetched ${id}'s tokenizer (tokenizer.json, tokenizer_config.json) into the Hugging Face cache`);
  }

  async chat(ask: ChatAsk, selectionAsUser: boolean): Promise<void> {
    const run = ++this.latestChat;
    const input = this.host.input();
    if (selectionAsUser && !input) { this.host.post({ type: 'chatError', message: vscode.l10n.t('Select some text in an editor first: it is the user message.') }); return; }
    const messages = selectionAsUser && input ? [...ask.messages, { role: 'user', content: input.text }] : ask.messages;
    try {
      await this.fetchHub([ask.tokenizer]);
      if (run !== this.latestChat) return;
      const result = await this.host.engine.request({ kind: 'chat', ...ask, messages });
      if (run === this.latestChat) this.host.post({ type: 'chatted', result });
    } catch (e) {
      const message = hubTokenizerMessage(e);
      if (run === this.latestChat) this.host.post({ type: 'chatError', message, ...(NO_TEMPLATE.test(message) ? { noTemplate: true } : {}) });
    }
  }
}
