/**
 * The seed question "Mainstream improvements to attention" (主流的注意力改进), answered
 * with the loaded model's own numbers: its heads and K/V heads (GQA / MQA / MHA), the KV
 * cache per token against plain multi-head attention (float32 as this engine holds it, and
 * fp16/bf16 as the model would be served), its positions (RoPE θ, scaling), sliding
 * windows, norm and FFN (the sentences come from decoderText.ts).
 */
import type { PanelAttention } from '../../../src/shared/protocol';
import { el } from '../../dom';
import { t } from '../../l10n';
import { panelArchitecture } from './decoderMath';
import { headsLine, kvCacheLines, positionsLine, windowsLine } from './decoderText';

export function variantsNote(a: PanelAttention, open = false): HTMLElement {
  const arch = panelArchitecture(a);
  const facts = [
    headsLine(a),
    ...(kvCacheLines(a) ?? []),
    positionsLine(a),
    windowsLine(a),
    arch.normKind === 'rmsnorm' ? t('Norm: RMSNorm (no mean subtracted, no bias).') : t('Norm: LayerNorm (mean subtracted, bias added).'),
    arch.ffn === 'gated' ? t('FFN: gated, down(act(gate) ⊙ up).') : t('FFN: a plain MLP, act(x·W₁ + b₁)·W₂ + b₂.'),
  ];
  const d = el('details', { class: 'explain', 'data-topic': 'variants', id: 'variants-note' },
    el('summary', {}, t('Mainstream improvements to attention')),
    el('p', {}, t('Since the original Transformer, the attention block of most new models has changed in a few standard ways. Grouped-query attention (GQA; multi-query attention is its extreme) lets several query heads share one key/value head, so the KV cache that long generation keeps shrinks to 1/g (g query heads per K/V head). RoPE rotates q and k by their positions instead of adding position vectors, so position enters the scores only through the distance between tokens. Sliding windows limit how far back a layer looks. RMSNorm replaces LayerNorm, and gated FFNs (SwiGLU) replace the plain MLP. FlashAttention-style kernels compute the same softmax(QKᵀ/√d_k)·V in tiles, never storing the T × T matrix. This model, {0}:', a.model)),
    el('ul', {}, ...facts.map((f) => el('li', {}, f))));
  if (open) d.setAttribute('open', '');
  return d;
}
