/**
 * The numbers behind one attention head for one query token (the panel's step trace and
 * mask comparator), as plain data that crosses the worker and webview boundaries.
 * Legend: T tokens, HS head size, C channels, F FFN width. −∞ stays −∞ (structured clone).
 */
export interface StepTrace {
  layer: number;
  head: number;
  query: number;
  /** Keys (= tokens for self attention; source tokens for cross attention). */
  T: number;
  /** Encoder–decoders: which attention this is (absent: self attention of a one-stack model). */
  kind?: 'encoder-self' | 'decoder-self' | 'cross';
  /** Query rows of the head ([queries, T] scores); absent when it equals T. */
  queries?: number;
  headSize: number;
  /** 1/√d_k (÷ (layer+1) too when the model scales by the inverse layer index). */
  scale: number;
  /** GPT-2's scale_attn_by_inverse_layer_idx: scale = 1/(√d_k · (layer + 1)). */
  scaleByInverseLayer?: boolean;
  norm: 'pre' | 'post';
  /** LayerNorm subtracts the mean and adds a bias; RMSNorm only divides by the root mean square. */
  normKind: 'layernorm' | 'rmsnorm';
  causal: boolean;
  activation: string;
  /** `gated` (SwiGLU): ffnAct = act(ffnPre) ⊙ ffnUp. */
  ffn: 'mlp' | 'gated';
  /** Query heads, key/value heads (fewer with grouped-query attention), and the KV head this head reads. */
  heads: number;
  kvHeads: number;
  kvHead: number;
  /** Keys this layer's queries may see: the last `slidingWindow` (0: all earlier ones). */
  slidingWindow: number;
  /** RoPE models: q and k before the rotation and the rotation itself at these positions. */
  rope?: {
    type: string;
    theta: number;
    rotaryDim: number;
    invFreq: number[]; // [d/2]  θ_i = 1 / θ^(2i/d), after any scaling
    qUnrotated: number[]; // [HS]
    kUnrotated: number[][]; // [T][HS]
    angles: number[][]; // [T][d/2]  position m · θ_i
  };
  q: number[]; // [HS]
  k: number[][]; // [T][HS]
  v: number[][]; // [T][HS]
  raw: number[]; // [T]  q·k
  scaled: number[]; // [T]  q·k × scale
  mask: number[]; // [T]  0 or −∞
  masked: number[]; // [T]
  max: number;
  shifted: number[]; // [T]  masked − max
  exp: number[]; // [T]
  sum: number;
  weights: number[]; // [T]
  headOut: number[]; // [HS]  Σ_k weights[k] · v[k]
  /** The rest of the layer at the query's row. */
  input: number[]; // [C]  residual stream entering the layer
  concat: number[]; // [NH·HS]  all heads' outputs side by side
  attnProj: number[]; // [C]  concat · Woᵀ + bo
  residualAttn: number[]; // [C]  input + attnProj
  /** The same sum for the first tokens of the selection (self attention), a small batch for LayerNorm vs BatchNorm. */
  normBatch?: number[][]; // [min(T, 8)][C]
  lnAttn: number[]; // [C]  pre-LN: LN₁(input) (the attention's input); post-LN: LN₁(residualAttn)
  lnFfn: number[]; // [C]  pre-LN: LN₂(residualAttn); post-LN: the sum LN₂ normalizes
  ffnPre: number[]; // [F]  (gated: the gate before its activation)
  ffnUp?: number[]; // [F]  gated FFN: the up projection
  ffnAct: number[]; // [F]
  ffnOut: number[]; // [C]
  output: number[]; // [C]
  /** The whole head before the mask, for the mask comparator: [T, T] q·k × scale. */
  scores: Float32Array;
  /** The model's learned position embeddings for positions 0 … T−1, [T, C] (absent for sinusoidal and RoPE models). */
  positions?: Float32Array;
}
