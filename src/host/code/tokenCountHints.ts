/**
 * Inlay hints: the token count after each string literal the code sends to a tokenizer
 * (engine: src/engine/code/tokenizerLiterals.ts), counted by the engine worker with the
 * tokenizer the code names (tokenizerSpec.ts). Only literals in the visible range are
 * counted; counts are kept per (tokenizer, text), so typing elsewhere costs nothing.
 * A literal whose count fails or the tokenizer that cannot load gets no hint.
 */
import * as vscode from 'vscode';
import type { Config } from '../config';
import type { EngineClient } from '../engineClient';
import type { CodeAnalysisCache } from './codeAnalysisCache';
import { readCodeSettings } from './codeSettings';
import { tokenizerSpecFor } from './tokenizerSpec';

const MAX_CACHED_COUNTS = 5_000;
/** Longer literals are not counted in hints (the status bar and panel count anything). */
const MAX_LITERAL_CHARS = 100_000;

export class TokenCountHints implements vscode.InlayHintsProvider {
  private readonly counts = new Map<string, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>, private readonly analyses: CodeAnalysisCache) {}

  refresh(): void { this.changed.fire(); }

  async provideInlayHints(doc: vscode.TextDocument, range: vscode.Range, cancel: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    if (!readCodeSettings().inlayHints) return [];
    const analysis = await this.analyses.analysis(doc, cancel);
    if (!analysis || cancel.isCancellationRequested) return [];
    const from = doc.offsetAt(range.start), to = doc.offsetAt(range.end);
    const config = this.config();
    const visible = analysis.literals.filter((l) => l.end >= from && l.start <= to && l.value.length <= MAX_LITERAL_CHARS);
    const hints = await Promise.all(visible.map(async (l) => {
      const { spec, fallback } = tokenizerSpecFor(l.builtinTokenizer, l.tokenizerId, config.tokenizer);
      const key = `${spec}\0${config.specialTokens}\0${l.value}`;
      let n = this.counts.get(key);
      if (n === undefined) {
        try { n = await this.engine.request({ kind: 'count', tokenizer: spec, text: l.value, special: config.specialTokens }); } catch { return undefined; }
        if (this.counts.size >= MAX_CACHED_COUNTS) this.counts.clear();
        this.counts.set(key, n);
      }
      const name = l.tokenizerId ?? (fallback ? config.tokenizer : spec);
      const label = n === 1 ? vscode.l10n.t('1 token') : vscode.l10n.t('{0} tokens', n.toLocaleString('en-US'));
      const hint = new vscode.InlayHint(doc.positionAt(l.end), label, vscode.InlayHintKind.Type);
      hint.paddingLeft = true;
      hint.tooltip = fallback
        ? vscode.l10n.t('{0} tokens with the configured tokenizer {1}: the code does not say which tokenizer reads this text.', n, config.tokenizer)
        : vscode.l10n.t('{0} tokens with {1}, the tokenizer this code names.', n, name);
      return hint;
    }));
    return hints.filter((h): h is vscode.InlayHint => h !== undefined);
  }
}
