/**
 * What each attention step does, in the display language (vscode.l10n; zh-CN in
 * l10n/bundle.l10n.zh-cn.json). One sentence per step, the formula where it helps.
 */
import * as vscode from 'vscode';
import type { AttentionStep } from '../../engine/code/types';

export function stepName(step: AttentionStep): string {
  switch (step.kind) {
    case 'scores': return vscode.l10n.t('Attention scores: every query dotted with every key, QKᵀ, one [T × T] matrix per head.');
    case 'scale': return vscode.l10n.t('Scaling: the scores divided by √d_k (the head size), so softmax does not saturate as d_k grows.');
    case 'mask': return vscode.l10n.t('Masking: positions a token may not see get −∞ before softmax, so their weight becomes 0.');
    case 'causal-mask': return vscode.l10n.t('Causal mask: the upper triangle (future positions) is cut off, so each token sees only itself and the tokens before it.');
    case 'softmax': return vscode.l10n.t('Softmax over the last dimension: each row of scores becomes attention weights that sum to 1.');
    case 'weighted-sum': return vscode.l10n.t('Weighted sum of values: the attention weights times V, one mixed vector per token.');
    case 'sdpa': return step.causal
      ? vscode.l10n.t('Scaled dot-product attention in one call: softmax(QKᵀ / √d_k + mask) · V, with the causal mask (is_causal=True).')
      : vscode.l10n.t('Scaled dot-product attention in one call: softmax(QKᵀ / √d_k + mask) · V.');
    case 'gqa': return vscode.l10n.t('Grouped-query attention: each key/value head is repeated for the query heads that share it, so the KV cache holds fewer heads.');
    case 'rotary': return vscode.l10n.t('Rotary position embedding (RoPE): q and k are rotated pair by pair by an angle that grows with the position, so q·k depends on the distance between tokens.');
    case 'layernorm': return vscode.l10n.t('LayerNorm: each token\'s vector is centred and scaled to unit variance, then multiplied by γ and shifted by β.');
    case 'rmsnorm': return vscode.l10n.t('RMSNorm: each token\'s vector is divided by its root mean square, then multiplied by γ (no centring, no bias).');
  }
}
