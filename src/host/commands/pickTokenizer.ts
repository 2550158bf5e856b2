/** Transformer Tracer: Choose Tokenizer — a quick pick of the built-ins or a tokenizer.json. */
import * as vscode from 'vscode';
import { BUILTIN_TOKENIZERS } from '../../engine/tokenizers/builtin';
import { readConfig, setTokenizer } from '../config';

const DESCRIPTIONS: Record<string, string> = {
  gpt2: 'GPT-2, r50k_base (byte-level BPE, 50,257)', p50k_base: 'Codex, text-davinci (50,281)', cl100k_base: 'GPT-3.5 / GPT-4 (100,277)',
  o200k_base: 'GPT-4o (200,019)', 'bert-base-uncased': 'BERT WordPiece (30,522)',
};

export async function pickTokenizer(): Promise<void> {
  const current = readConfig().tokenizer;
  const items: vscode.QuickPickItem[] = [
    ...BUILTIN_TOKENIZERS.filter((t) => t !== 'r50k_base').map((t) => ({ label: t, description: DESCRIPTIONS[t], picked: t === current })),
    { label: 'tokenizer.json…', description: 'a Hugging Face tokenizer file' },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Transformer Tracer: tokenizer', placeHolder: `current: ${current}` });
  if (!pick) return;
  if (pick.label === 'tokenizer.json…') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Tokenizer JSON': ['json'] }, title: 'Choose a tokenizer.json' });
    if (!uris?.[0]) return;
    if (uris[0].scheme !== 'file') { void vscode.window.showErrorMessage('Transformer Tracer: a tokenizer.json must be a local file.'); return; }
    await setTokenizer(uris[0].fsPath);
  } else await setTokenizer(pick.label);
}
