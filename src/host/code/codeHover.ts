/**
 * Hover on code (engine analysis: src/engine/code/analyze.ts):
 *   a model / tokenizer id → what it is, from the Hugging Face cache (modelCards.ts), or
 *     that it is not cached (nothing is fetched to answer a hover);
 *   a literal sent to a tokenizer → its tokens and IDs (engine worker, first 40);
 *   an attention line → the step's name (stepNames.ts) and "Show this step with live
 *     numbers", a command link to the step trace (codeCommands.ts).
 * Markdown is untrusted except for that one command; ids and token text are escaped.
 */
import * as vscode from 'vscode';
import { formatCount } from '../../engine/code/modelCard';
import type { CodeReference, TokenizerLiteral } from '../../engine/code/types';
import type { Config } from '../config';
import type { EngineClient } from '../engineClient';
import { escapeMarkdown } from '../hoverProvider';
import type { CodeAnalysisCache } from './codeAnalysisCache';
import { CodeCommand } from './codeCommands';
import { readCodeSettings } from './codeSettings';
import { modelCard } from './modelCards';
import { stepName } from './stepNames';
import { tokenizerSpecFor } from './tokenizerSpec';
import { engineErrorText } from '../engineErrorText';

const HOVER_TOKENS = 40;

/** Markdown-escape prose and ids, keeping spaces as spaces (escapeMarkdown shows them as ␠, for token text). */
function escapeProse(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

function referenceMarkdown(ref: CodeReference, md: vscode.MarkdownString): void {
  md.appendMarkdown(`**${escapeProse(ref.id)}** · \`${ref.callee.replace(/`/g, 'ˋ')}\`\n\n`);
  if (ref.kind === 'tiktoken') {
    md.appendMarkdown(ref.builtinTokenizer ? vscode.l10n.t('tiktoken encoding {0}, built in: counted offline.', ref.builtinTokenizer) : vscode.l10n.t('An encoding this extension does not know.'));
    return;
  }
  if (ref.builtinTokenizer) md.appendMarkdown(vscode.l10n.t('Its tokenizer is built in ({0}): counted offline.', ref.builtinTokenizer) + '\n\n');
  const card = modelCard(ref.id);
  if (!card.validId) { md.appendMarkdown(vscode.l10n.t('Not a valid Hugging Face id.')); return; }
  if (!card.inCache) { md.appendMarkdown(vscode.l10n.t('Not in the Hugging Face cache: nothing is downloaded to answer a hover (Load model… asks first).')); return; }
  const parts: string[] = [];
  if (card.architecture || card.modelType) parts.push(escapeProse([card.architecture, card.modelType && `(${card.modelType})`].filter(Boolean).join(' ')));
  if (card.layers) parts.push(vscode.l10n.t('{0} layers', card.layers));
  if (card.heads) parts.push(card.kvHeads && card.kvHeads !== card.heads ? vscode.l10n.t('{0} heads, {1} KV heads', card.heads, card.kvHeads) : vscode.l10n.t('{0} heads', card.heads));
  if (card.width) parts.push(vscode.l10n.t('width {0}', card.width));
  if (card.vocab) parts.push(vscode.l10n.t('vocabulary {0}', card.vocab.toLocaleString('en-US')));
  if (card.parameters) parts.push(vscode.l10n.t('{0} parameters', formatCount(card.parameters)));
  md.appendMarkdown(parts.join(' · ') + '\n\n');
  md.appendMarkdown(card.parameters !== undefined
    ? vscode.l10n.t('In the Hugging Face cache: {0} MB on disk.', ((card.diskBytes ?? 0) / 1e6).toFixed(1))
    : vscode.l10n.t('In the Hugging Face cache without safetensors weights.'));
  if (card.problem) md.appendMarkdown(`\n\n${escapeProse(card.problem)}`);
}

export class CodeHoverProvider implements vscode.HoverProvider {
  constructor(private readonly engine: EngineClient, private readonly config: () => Readonly<Config>, private readonly analyses: CodeAnalysisCache) {}

  async provideHover(doc: vscode.TextDocument, pos: vscode.Position, cancel: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    if (!readCodeSettings().hover) return undefined;
    const analysis = await this.analyses.analysis(doc, cancel);
    if (!analysis || cancel.isCancellationRequested) return undefined;
    const offset = doc.offsetAt(pos);
    const inside = (s: { start: number; end: number }) => offset >= s.start && offset <= s.end;
    const ref = analysis.references.find((r) => inside(r) || inside(r.call));
    const literal = analysis.literals.find(inside);
    const steps = analysis.steps.filter((s) => s.line === pos.line);
    if (!ref && !literal && steps.length === 0) return undefined;
    const md = new vscode.MarkdownString(undefined, false);
    md.supportHtml = false;
    md.isTrusted = { enabledCommands: [CodeCommand.ShowStep] };
    md.appendMarkdown('**Transformer Tracer**\n\n');
    if (ref) referenceMarkdown(ref, md);
    else if (literal) await this.literalMarkdown(literal, md);
    if (steps.length) {
      if (ref || literal) md.appendMarkdown('\n\n---\n\n');
      for (const s of steps) md.appendMarkdown(`${escapeProse(stepName(s))}\n\n`);
      md.appendMarkdown(`[${vscode.l10n.t('Show this step with live numbers')}](command:${CodeCommand.ShowStep}?${encodeURIComponent(JSON.stringify([steps[0].kind]))})`);
    }
    if (cancel.isCancellationRequested) return undefined;
    const target = ref ?? literal ?? steps[0];
    return new vscode.Hover(md, new vscode.Range(doc.positionAt(target.start), doc.positionAt(target.end)));
  }

  private async literalMarkdown(l: TokenizerLiteral, md: vscode.MarkdownString): Promise<void> {
    const config = this.config();
    const { spec, fallback } = tokenizerSpecFor(l.builtinTokenizer, l.tokenizerId, config.tokenizer);
    try {
      const r = await this.engine.request({ kind: 'tokenize', tokenizer: spec, text: l.value, source: 'code', special: config.specialTokens, limit: HOVER_TOKENS });
      md.appendMarkdown(vscode.l10n.t('{0} tokens with {1}', r.counts.tokens, escapeProse(fallback ? config.tokenizer : l.tokenizerId ?? spec)) + '\n\n');
      md.appendMarkdown(r.tokens.map((t) => `\`${t.id}\` ${escapeMarkdown(t.source || t.text)}`).join(' · '));
      if (r.counts.tokens > r.tokens.length) md.appendMarkdown(' · …');
    } catch (e) {
      md.appendMarkdown(escapeProse(engineErrorText(e)));
    }
  }
}
