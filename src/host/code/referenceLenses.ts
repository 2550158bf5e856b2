/**
 * CodeLens on model and tokenizer references (engine: src/engine/code/references.ts):
 *   tokenizer, tiktoken  → "Tokenize with this tokenizer" (built in, or the cache's tokenizer.json)
 *   model, pipeline      → "Inspect attention" when the model is in the Hugging Face cache,
 *                          else "Load model…" (the Load Model command, which asks before any
 *                          download; not offered in untrusted or virtual workspaces)
 */
import * as vscode from 'vscode';
import { CodeCommand } from './codeCommands';
import type { CodeAnalysisCache } from './codeAnalysisCache';
import { downloadsAllowed, readCodeSettings } from './codeSettings';
import { modelCard } from './modelCards';
import { tokenizerSpecFor } from './tokenizerSpec';

export class ReferenceLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly analyses: CodeAnalysisCache, private readonly configuredTokenizer: () => string) {}

  refresh(): void { this.changed.fire(); }

  async provideCodeLenses(doc: vscode.TextDocument, cancel: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    if (!readCodeSettings().codeLens) return [];
    const analysis = await this.analyses.analysis(doc, cancel);
    if (!analysis || cancel.isCancellationRequested) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const ref of analysis.references) {
      const range = new vscode.Range(doc.positionAt(ref.call.start), doc.positionAt(ref.call.end));
      if (ref.kind === 'tokenizer' || ref.kind === 'tiktoken' || ref.kind === 'pipeline') {
        const { spec, fallback } = tokenizerSpecFor(ref.builtinTokenizer, ref.kind === 'tiktoken' ? undefined : ref.id, this.configuredTokenizer());
        if (!fallback) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Tokenize with this tokenizer'), command: CodeCommand.TokenizeWith, arguments: [spec] }));
      }
      if (ref.kind === 'model' || ref.kind === 'pipeline') {
        if (modelCard(ref.id).parameters !== undefined) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Inspect attention'), command: CodeCommand.InspectAttention, arguments: [ref.id] }));
        else if (downloadsAllowed()) lenses.push(new vscode.CodeLens(range, { title: vscode.l10n.t('Load model…'), command: 'transformerTracer.loadModel' }));
      }
    }
    return lenses;
  }
}
