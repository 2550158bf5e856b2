/** Transformer Tracer: Choose Tokenizer — a quick pick of the built-ins or a tokenizer.json. */
import * as vscode from 'vscode';
import { BUILTIN_TOKENIZERS } from '../../engine/tokenizers/builtin';
import { readConfig, setTokenizer } from '../config';

/** Each built-in tokenizer's models and vocabulary size (a function: vscode.l10n reads the bundle after activation). */
const descriptions = (): Record<string, string> => ({
  gpt2: vscode.l10n.t('GPT-2, r50k_base (byte-level BPE, 50,257)'), p50k_base: vscode.l10n.t('Codex, text-davinci (50,281)'), cl100k_base: 'GPT-3.5 / GPT-4 (100,277)',
  o200k_base: 'GPT-4o (200,019)', 'bert-base-uncased': 'BERT WordPiece (30,522)',
});

export async function pickTokenizer(): Promise<void> {
  const current = readConfig().tokenizer;
  const items: vscode.QuickPickItem[] = [
    ...BUILTIN_TOKENIZERS.filter((t) => t !== 'r50k_base').map((t) => ({ label: t, description: descriptions()[t], picked: t === current })),
    { label: 'tokenizer.json…', description: vscode.l10n.t('a Hugging Face tokenizer file') },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Tracer: tokenizer'), placeHolder: vscode.l10n.t('current: {0}', current) });
  if (!pick) return;
  if (pick.label === 'tokenizer.json…') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Tokenizer JSON')]: ['json'] }, title: vscode.l10n.t('Choose a tokenizer.json') });
    if (!uris?.[0]) return;
    if (uris[0].scheme !== 'file') { void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Tracer: a tokenizer.json must be a local file.')); return; }
    await setTokenizer(uris[0].fsPath);
  } else await setTokenizer(pick.label);
}
