/**
 * Attention steps in hand-written Transformer code, recognised on parse-tree nodes
 * (an `@` operator, a call by name), so the same words in comments or strings never
 * match. The steps and the code that usually spells them (nanoGPT's CausalSelfAttention,
 * transformers' modeling_llama.py):
 *   scores        q @ k.transpose(-2, -1)          torch.matmul(q, k.transpose(2, 3))
 *   scale         / math.sqrt(d_k)                 * (1.0 / math.sqrt(k.size(-1)))   * self.scale
 *   mask          .masked_fill(mask == 0, float('-inf'))
 *   causal-mask   torch.triu(…, diagonal=1)        torch.tril(torch.ones(T, T))
 *   softmax       F.softmax(att, dim=-1)
 *   weighted-sum  att @ v                          torch.matmul(attn_weights, value_states)
 *   sdpa          F.scaled_dot_product_attention(q, k, v, is_causal=True)
 *   gqa           repeat_kv(…) / k.repeat_interleave(n_rep, dim=1)
 *   rotary        apply_rotary_pos_emb(q, k, cos, sin) / rotate_half
 *   layernorm     nn.LayerNorm(C)        rmsnorm  LlamaRMSNorm(C) / class LlamaRMSNorm
 */
import type { Node } from 'web-tree-sitter';
import { callParts, span, unwrap } from './calls';
import type { AttentionStep, AttentionStepKind } from './types';

const TRANSPOSES = new Set(['transpose', 'permute', 'swapaxes', 'swapdims', 't']);
const VALUE_NAME = /^(v|values?|v_\w+|\w+_v|value_states|v_states|vs)$/i;

function lastName(node: Node): string {
  const n = unwrap(node) ?? node;
  if (n.type === 'attribute' || n.type === 'member_expression') return (n.childForFieldName(n.type === 'attribute' ? 'attribute' : 'property')?.text) ?? n.text;
  return n.text;
}

/** The right operand of a product: k transposed → scores; a value tensor → weighted sum. */
function productKind(right: Node): AttentionStepKind | undefined {
  const r = unwrap(right) ?? right;
  const call = callParts(r);
  if (call && TRANSPOSES.has(call.name)) return 'scores';
  if ((r.type === 'attribute' || r.type === 'member_expression') && /^(mT|T)$/.test(lastName(r))) return 'scores';
  if (r.type === 'identifier' || r.type === 'attribute' || r.type === 'member_expression') return VALUE_NAME.test(lastName(r)) ? 'weighted-sum' : undefined;
  return undefined;
}

function isScaleFactor(node: Node, op: string): boolean {
  const n = unwrap(node) ?? node;
  if (op === '/') {
    const calls = [n, ...n.descendantsOfType(['call', 'call_expression'])].map((c) => c && callParts(c)).filter((c) => c);
    return calls.some((c) => c!.name === 'sqrt');
  }
  // × 1/√d or × d^-0.5; not `x * torch.rsqrt(variance + eps)`, which is RMSNorm's own scaling
  if (/\/\s*(?:math\.|torch\.|np\.)?sqrt\s*\(|\*\*\s*-\s*0?\.5\b|\*\*\s*\(\s*-0?\.5\s*\)/.test(n.text)) return true;
  return (n.type === 'identifier' || n.type === 'attribute') && /^(scale|scaling|softmax_scale|sm_scale)$/.test(lastName(n));
}

const MASK_FILL = /inf|finfo|-1e\d|min_dtype|float\(\s*["']-inf["']\s*\)/;

function stepOfCall(node: Node): { kind: AttentionStepKind; causal?: boolean } | undefined {
  const call = callParts(node);
  if (!call) return undefined;
  switch (call.name) {
    case 'matmul': case 'bmm': {
      const kind = call.args[1] ? productKind(call.args[1]) : undefined;
      return kind ? { kind } : undefined;
    }
    case 'masked_fill': case 'masked_fill_':
      return call.args.some((a) => MASK_FILL.test(a.text)) ? { kind: 'mask' } : undefined;
    case 'triu': case 'tril': return { kind: 'causal-mask' };
    case 'softmax': return { kind: 'softmax' };
    case 'scaled_dot_product_attention': {
      const flag = call.kwargs.get('is_causal');
      return { kind: 'sdpa', causal: flag ? /^(True|true)$/.test(flag.text) : undefined };
    }
    case 'repeat_interleave': case 'repeat_kv': return { kind: 'gqa' };
    case 'apply_rotary_pos_emb': case 'rotate_half': return { kind: 'rotary' };
    case 'LayerNorm': case 'layer_norm': return { kind: 'layernorm' };
    default:
      return /RMSNorm$|^rms_norm$|RmsNorm$/.test(call.name) ? { kind: 'rmsnorm' } : undefined;
  }
}

function stepOfOperator(node: Node): AttentionStepKind | undefined {
  const op = node.childForFieldName('operator')?.text;
  const right = node.childForFieldName('right');
  if (!op || !right) return undefined;
  if (op === '@') return productKind(right);
  if (op === '/' || op === '*') return isScaleFactor(right, op) ? 'scale' : undefined;
  return undefined;
}

function stepOfDefinition(node: Node): AttentionStepKind | undefined {
  const name = node.childForFieldName('name')?.text ?? '';
  if (node.type === 'class_definition' && /RMSNorm$/.test(name)) return 'rmsnorm';
  if (name === 'apply_rotary_pos_emb' || name === 'rotate_half') return 'rotary';
  if (name === 'repeat_kv') return 'gqa';
  return undefined;
}

export const STEP_NODE_TYPES = ['call', 'call_expression', 'binary_operator', 'binary_expression', 'class_definition', 'function_definition', 'function_declaration'];

/** Steps among `nodes` (any order), one per kind and line, in source order. */
export function findAttentionSteps(nodes: readonly Node[]): AttentionStep[] {
  const seen = new Set<string>();
  const out: AttentionStep[] = [];
  for (const node of nodes) {
    let found: { kind: AttentionStepKind; causal?: boolean } | undefined;
    if (node.type === 'call' || node.type === 'call_expression') found = stepOfCall(node);
    else if (node.type === 'binary_operator' || node.type === 'binary_expression') { const k = stepOfOperator(node); found = k && { kind: k }; }
    else { const k = stepOfDefinition(node); found = k && { kind: k }; }
    if (!found) continue;
    // a definition's step is named on its first line only
    const where = node.type.endsWith('definition') || node.type === 'function_declaration' ? node.childForFieldName('name') ?? node : node;
    const s = span(where);
    const key = `${found.kind}:${s.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const nl = node.text.indexOf('\n');
    const end = where === node && nl >= 0 ? node.startIndex + nl : s.end; // the span ends with the first line
    const code = node.text.split('\n')[0].trim().slice(0, 120);
    out.push({ kind: found.kind, ...s, end, code, ...(found.causal !== undefined ? { causal: found.causal } : {}) });
  }
  return out.sort((a, b) => a.start - b.start);
}
