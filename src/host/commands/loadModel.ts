/**
 * Transformer Tracer: Load Model… — one quick pick for every way to get a model:
 * the bundled ones; models already in the user's Hugging Face cache (reused, no download);
 * a local folder; or a Hub id to download (suggestions, or any id typed). The choice
 * becomes the `transformerTracer.model` setting and every open panel runs it.
 */
import * as vscode from 'vscode';
import { listCachedModels } from '../../engine/hub/hfCache';
import { formatHubId, parseHubId } from '../../engine/hub/hubId';
import { BUNDLED_MODELS } from '../../engine/model/bundledModels';
import { readConfig, setModel } from '../config';
import { hubSettings, resolveModelWithProgress } from '../hub';
import { PanelSession } from '../panel/panelSession';
import { engineErrorText } from '../engineErrorText';

const SUGGESTED = ['gpt2', 'distilgpt2', 'bert-base-uncased', 'distilbert-base-uncased', 'prajjwal1/bert-tiny', 'HuggingFaceTB/SmolLM2-135M', 'Qwen/Qwen2.5-0.5B', 'Qwen/Qwen3-0.6B', 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'meta-llama/Llama-3.2-1B',
  'Helsinki-NLP/opus-mt-en-fr', 'Helsinki-NLP/opus-mt-en-zh', 'google-t5/t5-small', 'google/flan-t5-small', 'facebook/bart-base', 'FacebookAI/roberta-base', 'albert/albert-base-v2'];
const bundledDescription = (m: string): string | undefined => ({ 'tiny-gpt': vscode.l10n.t('bundled · GPT-2 architecture, 4 × 4 heads'), 'tiny-bert': vscode.l10n.t('bundled · BERT architecture, 4 × 4 heads'),
  'tiny-translator': vscode.l10n.t('bundled · Marian encoder–decoder (English → French), 3 + 3 layers × 4 heads') } as Record<string, string>)[m];

interface ModelItem extends vscode.QuickPickItem { spec?: string; action?: 'folder' | 'hub' }

export async function loadModel(log: vscode.OutputChannel): Promise<void> {
  const current = readConfig().model;
  const settings = hubSettings();
  const cached = listCachedModels(settings.cacheDir);
  const cachedIds = new Set(cached.filter((m) => !m.problem).map((m) => m.repo));
  const items: ModelItem[] = [
    { label: vscode.l10n.t('Bundled'), kind: vscode.QuickPickItemKind.Separator },
    ...BUNDLED_MODELS.map((m) => ({ label: m, description: bundledDescription(m), spec: m, picked: m === current })),
    { label: vscode.l10n.t('In your Hugging Face cache ({0})', settings.cacheDir), kind: vscode.QuickPickItemKind.Separator },
    ...cached.map((m) => ({
      label: formatHubId(m),
      description: [m.modelType, m.commit.slice(0, 7)].filter(Boolean).join(' · '),
      detail: m.problem ? vscode.l10n.t('cannot be run: {0}', m.problem) : undefined,
      spec: m.problem ? undefined : formatHubId(m),
    })),
    ...(cached.length === 0 ? [{ label: vscode.l10n.t('no models cached yet'), description: vscode.l10n.t('models you download here, or with Python, appear here') }] : []),
    { label: vscode.l10n.t('Other'), kind: vscode.QuickPickItemKind.Separator },
    { label: `$(folder) ${vscode.l10n.t('Open a model folder…')}`, description: 'config.json + model.safetensors', action: 'folder' },
    { label: `$(cloud-download) ${vscode.l10n.t('Download from the Hugging Face Hub…')}`, description: settings.offline ? vscode.l10n.t('HF_HUB_OFFLINE is set: cache only') : settings.endpoint, action: 'hub' },
    ...SUGGESTED.filter((id) => !cachedIds.has(id)).map((id) => ({ label: `$(cloud-download) ${id}`, description: vscode.l10n.t('download from the Hub'), spec: id })),
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Transformer Tracer: Load Model'), placeHolder: vscode.l10n.t('current: {0}', current), matchOnDescription: true });
  if (!pick) return;
  let spec = pick.spec;
  if (pick.action === 'folder') {
    const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: vscode.l10n.t('A model folder (config.json + model.safetensors)') });
    if (!uris?.[0]) return;
    if (uris[0].scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Transformer Tracer: a model folder must be on disk (this is a virtual or remote file system). Bundled and cached Hugging Face models still work.'));
      return;
    }
    spec = uris[0].fsPath;
  } else if (pick.action === 'hub') {
    spec = await vscode.window.showInputBox({
      title: vscode.l10n.t('Hugging Face model id'), prompt: vscode.l10n.t('NAME or ORG/NAME, optionally @REVISION (GPT-2, BERT, RoBERTa, DistilBERT, ALBERT, Llama, Mistral, Qwen2/Qwen3, Gemma 3, T5, BART, mBART or Marian with safetensors weights)'), placeHolder: 'gpt2',
      validateInput: (v) => (parseHubId(v.trim()) ? undefined : vscode.l10n.t('expected NAME or ORG/NAME[@REVISION]: letters, digits, "-", "_", "."')),
    });
    if (!spec) return;
    spec = formatHubId(parseHubId(spec.trim())!);
  }
  if (!spec) return;
  try {
    const resolved = await resolveModelWithProgress(spec, log);
    if (!resolved) return;
    await setModel(spec);
    for (const s of PanelSession.all) await s.useModel(spec);
    void vscode.window.setStatusBarMessage(vscode.l10n.t('Transformer Tracer: model {0}', spec), 4000);
  } catch (e) {
    void vscode.window.showErrorMessage(`Transformer Tracer: ${engineErrorText(e)}`);
  }
}
