/**
 * The key/value cache of incremental decoding: per layer, the K and V rows of every token
 * seen so far (after RoPE), so the next step computes one new query/key/value row per layer
 * instead of re-running the whole prefix. With grouped-query attention it holds NKV heads,
 * not NH: 2 × layers × NKV × HD floats per token.
 *
 *   step t:  q_t, k_t, v_t = projections of token t only     (O(C²) per layer)
 *            K = [K_cache; k_t],  V = [V_cache; v_t]          (append)
 *            out_t = softmax(q_t · Kᵀ / √d_k + mask_t) · V      (one row of attention)
 *
 * transformer.ts's forward reads and appends it when ForwardOptions.cache is given.
 *
 * Given kernels with their own memory (wasmKernels.ts: `kvStore`), the rows live there, so
 * a decode step's attention reads them in place instead of copying every layer's K and V
 * into the kernel's scratch (≈ 1 MB a layer per token on GPT-2 small at 160 tokens).
 * That memory holds one cache at a time: `release()` hands it back (generate does, when it
 * ends); while it is taken, or when the cache is larger, the rows are ordinary arrays.
 */
import type { ModelConfig } from './config';
import type { Kernels } from './kernels';
import { modelError } from './modelError';

export interface KvCache {
  /** Tokens held (the next token's position). */
  length: number;
  /** Positions it has room for. */
  readonly capacity: number;
  /** NKV · HD: one cached row. */
  readonly rowWidth: number;
  /** Per layer, [capacity, NKV·HD]. */
  readonly k: Float32Array[];
  readonly v: Float32Array[];
  /** True when the rows are in the kernels' memory (kernels.kvStore). */
  readonly inKernelMemory: boolean;
  /** Give the kernels' memory back (no-op for ordinary arrays); the cache must not be used after. */
  release(): void;
}

export function createKvCache(cfg: ModelConfig, capacity: number, kernels?: Kernels): KvCache {
  if (!Number.isInteger(capacity) || capacity < 1) throw modelError`a KV cache needs room for at least one token, got ${capacity}`;
  if (capacity > cfg.maxPositions) throw modelError`${capacity} tokens is more than this model's ${cfg.maxPositions} positions`;
  const rowWidth = cfg.kvHeads * cfg.headDim;
  const perLayer = capacity * rowWidth;
  const store = kernels?.kvStore?.(2 * cfg.layers * perLayer); // [2, layers, capacity, NKV·HD]
  const block = (half: number) => Array.from({ length: cfg.layers }, (_, l) => {
    if (!store) return new Float32Array(perLayer);
    const at = (half * cfg.layers + l) * perLayer;
    return store.data.subarray(at, at + perLayer);
  });
  return { length: 0, capacity, rowWidth, k: block(0), v: block(1), inKernelMemory: store !== undefined, release: () => store?.release() };
}

/** Bytes the cache uses for `tokens` tokens at `bytesPerValue` (4: float32 as here; 2: fp16/bf16 as models are often served). */
export function kvCacheBytes(cfg: Pick<ModelConfig, 'layers' | 'kvHeads' | 'headDim'>, tokens: number, bytesPerValue = 4): number {
  return 2 * cfg.layers * cfg.kvHeads * cfg.headDim * bytesPerValue * tokens;
}
