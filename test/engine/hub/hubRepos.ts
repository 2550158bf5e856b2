/**
 * Hub repos described by their real sizes without their weights, for the size tests
 * (hubSizes.test.ts, cliHub.test.ts): the config.json, index and shard sizes of
 * mistralai/Mistral-7B-v0.1 as the Hub lists them; the shards are only declared
 * (hubServer.ts `declared`), never served. MISTRAL_PARAMS is what transformers builds from
 * this config (tools/reference/hub_param_counts.py) and what the Hub's API reports.
 */
import type { RepoFiles } from './hubServer';

export const json = (v: unknown) => Buffer.from(JSON.stringify(v, null, 2));

export const MISTRAL_PARAMS = 7241732096;
export const MISTRAL_CONFIG = {
  architectures: ['MistralForCausalLM'], bos_token_id: 1, eos_token_id: 2, hidden_act: 'silu', hidden_size: 4096,
  intermediate_size: 14336, max_position_embeddings: 32768, model_type: 'mistral', num_attention_heads: 32,
  num_hidden_layers: 32, num_key_value_heads: 8, rms_norm_eps: 1e-5, rope_theta: 10000.0, sliding_window: 4096,
  tie_word_embeddings: false, torch_dtype: 'bfloat16', vocab_size: 32000,
};
export const MISTRAL_SHARDS = { 'model-00001-of-00002.safetensors': 9942981696, 'model-00002-of-00002.safetensors': 4540516344 };
export function mistralRepo(): RepoFiles {
  const [first, second] = Object.keys(MISTRAL_SHARDS);
  return {
    'config.json': json(MISTRAL_CONFIG),
    'model.safetensors.index.json': json({ metadata: { total_size: 2 * MISTRAL_PARAMS }, weight_map: { 'model.embed_tokens.weight': first, 'lm_head.weight': second } }),
  };
}
