/**
 * What a model family declares to the engine: how it reads config.json, where its tensors
 * are, and (through the ModelConfig it returns) its pieces: norm kind, attention shape,
 * FFN kind, positions, residual order and head kind. transformer.ts runs any of them.
 * Adding a family is one module beside this file plus one line in index.ts.
 */
import type { ModelConfig } from '../config';
import type { ModelWeights } from '../weights';
import type { WeightReader } from '../weightReader';
import type { ConfigJson } from './configFields';

/** The config.json field behind each size, for error messages. */
export type FieldNames = Record<'vocabSize' | 'maxPositions' | 'hidden' | 'layers' | 'ffnHidden' | 'typeVocabSize', string>;

/** The field names of BERT-style configs, which most families since (ALBERT, Llama, Gemma …) reuse. */
export const HIDDEN_SIZE_FIELDS: FieldNames = { vocabSize: 'vocab_size', maxPositions: 'max_position_embeddings', hidden: 'hidden_size', layers: 'num_hidden_layers', ffnHidden: 'intermediate_size', typeVocabSize: 'type_vocab_size' };

export interface ArchitectureModule {
  /** The module's name, stored in ModelConfig.family. */
  family: string;
  /** `model_type` values it reads. */
  modelTypes: readonly string[];
  /** Class-name prefixes in `architectures` (e.g. `Qwen2` of Qwen2ForCausalLM) → model_type, for configs without model_type. */
  classPrefixes: Readonly<Record<string, string>>;
  fieldNames: FieldNames;
  /** Prefixes tried before each tensor name (`transformer.`, `model.`, then none). */
  weightPrefixes: string[];
  parseConfig(cfg: ConfigJson, modelType: string): ModelConfig;
  loadWeights(r: WeightReader, cfg: ModelConfig): ModelWeights;
  /** Floats the module computes rather than reads (Marian's sinusoid table), so the weight arena has room for them. */
  computedFloats?(cfg: ModelConfig): number;
  /** A built-in tokenizer to fall back on when the folder has none and the vocabulary size matches. */
  standardTokenizer?: { name: string; size: number };
}
