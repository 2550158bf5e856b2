/**
 * Hover: the token(s) under the cursor with id, text, bytes and, for BPE, the rank —
 * computed by the worker on the whole line, in context. The markdown is never trusted
 * and every token string is escaped.
 */
import * as vscode from 'vscode';
import type { Config } from './config';
import type { EngineClient } from './engineClient';

/** Markdown-escape and show invisible characters: a space as `␠`, newline as `↵`. */
export function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`).replace(/ /g, '␠').replace(/\t/g, '→').replace(/\n/g, '↵');
}

export function hexBytes(bytes: number[]): string {
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

export class TokenHoverProvider implements vscode.HoverProvider {
  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, cancel: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const config = this.config();
    if (!config.hoverEnabled) return undefined;
    const line = doc.lineAt(pos.line).text;
    if (pos.character >= line.length) return undefined;
    let info;
    try {
      info = await this.engine.request({ kind: 'hover', tokenizer: config.tokenizer, line, column: pos.character, special: config.specialTokens });
    } catch {
      return undefined; // a broken tokenizer setting is reported by the panel and status bar, not on every hover
    }
    if (!info || cancel.isCancellationRequested) return undefined;
    const md = new vscode.MarkdownString(undefined, false);
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown(`**Transformer Tracer** · ${escapeMarkdown(config.tokenizer)} · ${vscode.l10n.t('token {0} of {1} on this line', info.index + 1, info.lineTokenCount)}\n\n`);
    for (const t of info.tokens) {
      const rank = t.rank !== undefined ? ` · ${vscode.l10n.t('rank {0}', t.rank)}` : '';
      md.appendMarkdown(`id **${t.id}** · \`${t.text.replace(/`/g, 'ˋ')}\`${rank} · ${vscode.l10n.t('bytes {0}', hexBytes(t.bytes))}\n\n`);
    }
    const first = info.tokens[0], last = info.tokens[info.tokens.length - 1];
    return new vscode.Hover(md, new vscode.Range(pos.line, first.start, pos.line, last.end));
  }
}
