/**
 * Which built-in tokenizer (src/engine/tokenizers/builtin.ts) an id named in code uses,
 * when that is known without downloading anything:
 *   - tiktoken encodings by name (`tiktoken.get_encoding("cl100k_base")`);
 *   - OpenAI model names as tiktoken's `encoding_for_model` maps them (tiktoken/model.py,
 *     MODEL_TO_ENCODING and MODEL_PREFIX_TO_ENCODING);
 *   - Hugging Face ids whose tokenizer is one of ours: GPT-2's byte-level BPE is
 *     r50k_base's ranks, bert-base-uncased's WordPiece is ours.
 * Anything else: undefined (the host then tries the Hugging Face cache's tokenizer.json).
 */

const ENCODINGS: Record<string, string> = { gpt2: 'r50k_base', r50k_base: 'r50k_base', p50k_base: 'p50k_base', p50k_edit: 'p50k_base', cl100k_base: 'cl100k_base', o200k_base: 'o200k_base' };

/** tiktoken's prefixes, longest first where they overlap (`gpt-4o` before `gpt-4`). */
const MODEL_PREFIXES: [string, string][] = [
  ['gpt-4o', 'o200k_base'], ['gpt-4.1', 'o200k_base'], ['gpt-4.5', 'o200k_base'], ['gpt-5', 'o200k_base'], ['chatgpt-4o', 'o200k_base'],
  ['o1', 'o200k_base'], ['o3', 'o200k_base'], ['o4', 'o200k_base'], ['gpt-oss', 'o200k_base'],
  ['gpt-4', 'cl100k_base'], ['gpt-3.5-turbo', 'cl100k_base'], ['gpt-35-turbo', 'cl100k_base'],
  ['text-embedding-ada-002', 'cl100k_base'], ['text-embedding-3', 'cl100k_base'],
  ['text-davinci-003', 'p50k_base'], ['text-davinci-002', 'p50k_base'], ['code-davinci', 'p50k_base'], ['code-cushman', 'p50k_base'],
  ['text-davinci-001', 'r50k_base'], ['davinci', 'r50k_base'], ['curie', 'r50k_base'], ['babbage', 'r50k_base'], ['ada', 'r50k_base'], ['gpt2', 'r50k_base'],
];

const HF_IDS: Record<string, string> = {
  gpt2: 'r50k_base', 'gpt2-medium': 'r50k_base', 'gpt2-large': 'r50k_base', 'gpt2-xl': 'r50k_base', distilgpt2: 'r50k_base',
  'openai-community/gpt2': 'r50k_base', 'openai-community/gpt2-medium': 'r50k_base', 'openai-community/gpt2-large': 'r50k_base',
  'openai-community/gpt2-xl': 'r50k_base', 'distilbert/distilgpt2': 'r50k_base', 'Xenova/gpt2': 'r50k_base', 'Xenova/distilgpt2': 'r50k_base',
  'bert-base-uncased': 'bert-base-uncased', 'google-bert/bert-base-uncased': 'bert-base-uncased', 'Xenova/bert-base-uncased': 'bert-base-uncased',
  'Xenova/gpt-4': 'cl100k_base', 'Xenova/gpt-3.5-turbo': 'cl100k_base', 'Xenova/text-embedding-ada-002': 'cl100k_base', 'Xenova/gpt-4o': 'o200k_base',
};

/** `tiktoken.get_encoding(name)` */
export function encodingByName(name: string): string | undefined {
  return ENCODINGS[name];
}

/** `tiktoken.encoding_for_model(model)`: "gpt-4o-mini" → o200k_base, "gpt-4" → cl100k_base */
export function encodingForModel(model: string): string | undefined {
  for (const [prefix, enc] of MODEL_PREFIXES) if (model === prefix || model.startsWith(prefix + '-') || model.startsWith(prefix + '.')) return enc;
  return undefined;
}

/** A Hugging Face id (`gpt2`, `openai-community/gpt2@main`) whose tokenizer is built in. */
export function builtinForHubId(id: string): string | undefined {
  return HF_IDS[id.split('@')[0]];
}
