/**
 * The tokenizer spec the engine counts a literal with: the built-in one the code names
 * (gpt2 → r50k_base, tiktoken encodings), else the tokenizer.json of that id in the
 * Hugging Face cache, else the configured tokenizer (`fallback: true`).
 */
import { modelCard } from './modelCards';

export function tokenizerSpecFor(builtin: string | undefined, id: string | undefined, configured: string): { spec: string; fallback: boolean } {
  if (builtin) return { spec: builtin, fallback: false };
  const path = id ? modelCard(id).tokenizerJson : undefined;
  if (path) return { spec: path, fallback: false };
  return { spec: configured, fallback: true };
}
