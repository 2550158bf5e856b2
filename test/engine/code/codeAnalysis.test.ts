/**
 * Code analysis (src/engine/code) on a corpus of real-looking files in test/fixtures/code:
 * the HF quick tour, nanoGPT's CausalSelfAttention, Llama's rotary / GQA / RMSNorm, tiktoken
 * scripts, a transformers.js file, and negatives (the same words in comments and strings,
 * `.encode(` on things that are not tokenizers). Expected lines are found by the text they
 * hold, so an edit to a fixture cannot silently shift what is checked.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCode } from '../../../src/engine/code/analyze';
import type { CodeAnalysis } from '../../../src/engine/code/types';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'code');
const read = (f: string) => readFileSync(join(FIXTURES, f), 'utf8');

/** 0-based line of the first line containing `needle` (after line `after`). */
function lineOf(source: string, needle: string, after = -1): number {
  const lines = source.split('\n');
  const i = lines.findIndex((l, n) => n > after && l.includes(needle));
  assert.ok(i >= 0, `fixture has no line with ${needle}`);
  return i;
}

async function analyse(file: string): Promise<{ src: string; a: CodeAnalysis }> {
  const src = read(file);
  const a = await analyzeCode(src, file.endsWith('.py') ? 'python' : 'typescript');
  assert.equal(a.skipped, undefined);
  return { src, a };
}

describe('code analysis: model and tokenizer references', () => {
  it('the HF quick tour: pipeline, from_pretrained by name and through a variable', async () => {
    const { src, a } = await analyse('hf_quicktour.py');
    assert.deepEqual(a.references.map((r) => [r.kind, r.id, r.call.line]), [
      ['model', 'nlptown/bert-base-multilingual-uncased-sentiment', lineOf(src, 'model = AutoModelForSequenceClassification')],
      ['tokenizer', 'nlptown/bert-base-multilingual-uncased-sentiment', lineOf(src, 'tokenizer = AutoTokenizer.from_pretrained(model_name)')],
      ['tokenizer', 'openai-community/gpt2', lineOf(src, 'gpt2_tokenizer = AutoTokenizer')],
      ['model', 'openai-community/gpt2', lineOf(src, 'gpt2 = AutoModelForCausalLM')],
      ['pipeline', 'Qwen/Qwen2.5-0.5B', lineOf(src, 'generator = pipeline')],
    ]); // pipeline("sentiment-analysis") names no model, pipeline(…, model=model) names a variable: no id
    // an id passed through `model_name`: the span is the argument in the call, the id its value
    const byName = a.references.find((r) => r.kind === 'tokenizer' && r.id.startsWith('nlptown'))!;
    assert.equal(src.slice(byName.start, byName.end), 'model_name');
    assert.equal(byName.call.line, lineOf(src, 'tokenizer = AutoTokenizer.from_pretrained(model_name)'));
    assert.equal(a.references.find((r) => r.id === 'openai-community/gpt2')!.builtinTokenizer, 'r50k_base');
  });

  it('tiktoken: get_encoding and encoding_for_model map to the encodings tiktoken uses', async () => {
    const { a } = await analyse('tiktoken_models.py');
    assert.deepEqual(a.references.map((r) => [r.id, r.builtinTokenizer]), [
      ['gpt-4o', 'o200k_base'], ['gpt-4', 'cl100k_base'], ['text-davinci-003', 'p50k_base'], ['r50k_base', 'r50k_base'],
    ]);
  });

  it('transformers.js and js-tiktoken in TypeScript', async () => {
    const { a } = await analyse('transformers_js.ts');
    assert.deepEqual(a.references.map((r) => [r.kind, r.id, r.builtinTokenizer]), [
      ['tokenizer', 'Xenova/gpt-4o', 'o200k_base'],
      ['model', 'Xenova/bert-base-uncased', 'bert-base-uncased'],
      ['pipeline', 'Xenova/distilbert-base-uncased-finetuned-sst-2-english', undefined],
      ['tiktoken', 'o200k_base', 'o200k_base'],
    ]);
  });
});

describe('code analysis: literals sent to a tokenizer', () => {
  it('the quick tour: the tokenizer call, a batch list, the GPT-2 prompt — not the pipeline sentence', async () => {
    const { a } = await analyse('hf_quicktour.py');
    const values = a.literals.map((l) => `${l.value} | ${l.tokenizerId}`);
    assert.deepEqual(values, [
      'We are very happy to show you the 🤗 Transformers library. | nlptown/bert-base-multilingual-uncased-sentiment',
      'We are very happy to show you the 🤗 Transformers library. | nlptown/bert-base-multilingual-uncased-sentiment',
      "We hope you don't hate it. | nlptown/bert-base-multilingual-uncased-sentiment",
      'Hello, my dog is cute and | openai-community/gpt2',
    ]);
  });

  it('tiktoken: enc.encode literals, escapes decoded, and the prompt constant with the file\'s one encoding', async () => {
    const { src, a } = await analyse('tiktoken_script.py');
    assert.deepEqual(a.literals.map((l) => [l.value, l.via, l.builtinTokenizer]), [
      ['You are a concise assistant. Answer in one sentence.', 'constant', 'cl100k_base'],
      ['hello world', 'call', 'cl100k_base'],
      ['Transformers 把文本切成词元 🤗', 'call', 'cl100k_base'],
      ['  leading spaces\tand a tab\n', 'call', 'cl100k_base'],
      ['It\'s "quoted" — with escapes\u00e9', 'call', 'cl100k_base'],
    ]);
    const chinese = a.literals[2];
    assert.equal(src.slice(chinese.start, chinese.end), '"Transformers 把文本切成词元 🤗"'); // UTF-16 offsets
  });

  it('several encodings in one file: each call its own; a prompt constant is left to the configured tokenizer', async () => {
    const { a } = await analyse('tiktoken_models.py');
    assert.deepEqual(a.literals.map((l) => [l.via, l.builtinTokenizer ?? null]), [
      ['call', 'o200k_base'], ['call', 'cl100k_base'], ['call', 'p50k_base'], ['call', 'r50k_base'], ['constant', null],
    ]);
  });

  it('TypeScript: tokenizer(...) and .encode(...), plain templates, a systemPrompt; a template with ${} is skipped', async () => {
    const { a } = await analyse('transformers_js.ts');
    assert.deepEqual(a.literals.map((l) => [l.value, l.builtinTokenizer ?? null]), [
      ['I love transformers!', 'o200k_base'],
      ['Hello world, 你好', 'o200k_base'],
      ['I love transformers!', null], // the sentiment pipeline's tokenizer: not built in (the cache's or the configured one)
      ['template without substitutions', 'o200k_base'],
      ['You are a helpful assistant.', null], // two tokenizers in the file (Xenova/gpt-4o, o200k_base ids differ)
    ]);
  });
});

describe('code analysis: attention steps', () => {
  it('nanoGPT CausalSelfAttention and a textbook attention', async () => {
    const { src, a } = await analyse('nanogpt_attention.py');
    const at = (kind: string) => a.steps.filter((s) => s.kind === kind).map((s) => s.line);
    assert.deepEqual(at('scores'), [lineOf(src, 'att = (q @ k.transpose'), lineOf(src, 'scores = torch.matmul(Q, K.transpose')]);
    assert.deepEqual(at('scale'), [lineOf(src, 'att = (q @ k.transpose'), lineOf(src, 'scores = torch.matmul(Q, K.transpose')]);
    assert.deepEqual(at('mask'), [lineOf(src, 'att.masked_fill'), lineOf(src, 'scores.masked_fill')]);
    assert.deepEqual(at('causal-mask'), [lineOf(src, 'torch.tril('), lineOf(src, 'torch.triu(')]);
    assert.deepEqual(at('softmax'), [lineOf(src, 'F.softmax(att'), lineOf(src, 'scores.softmax(')]);
    assert.deepEqual(at('weighted-sum'), [lineOf(src, 'y = att @ v'), lineOf(src, 'return torch.matmul(weights, V)')]);
    const sdpa = a.steps.filter((s) => s.kind === 'sdpa');
    assert.deepEqual(sdpa.map((s) => [s.line, s.causal]), [[lineOf(src, 'y = torch.nn.functional.scaled_dot_product_attention'), true]]);
    assert.deepEqual(at('layernorm'), [lineOf(src, 'return F.layer_norm'), lineOf(src, 'self.ln_1 = LayerNorm'), lineOf(src, 'self.ln_2 = nn.LayerNorm')]);
    // the hasattr(…, 'scaled_dot_product_attention') string is not a call
    assert.ok(!a.steps.some((s) => s.line === lineOf(src, 'self.flash = hasattr')));
  });

  it('Llama: rotary, GQA (repeat_kv, repeat_interleave), RMSNorm, matmul scores × scaling, weighted sum', async () => {
    const { src, a } = await analyse('llama_rotary.py');
    const at = (kind: string) => a.steps.filter((s) => s.kind === kind).map((s) => s.line);
    assert.deepEqual(at('rmsnorm'), [lineOf(src, 'class LlamaRMSNorm'), lineOf(src, 'self.norm = LlamaRMSNorm')]);
    assert.deepEqual(at('rotary'), [lineOf(src, 'def rotate_half'), lineOf(src, 'def apply_rotary_pos_emb'), lineOf(src, 'q_embed = '), lineOf(src, 'k_embed = '), lineOf(src, 'query_states, key_states = apply_rotary_pos_emb')]);
    assert.deepEqual(at('gqa'), [lineOf(src, 'def repeat_kv'), lineOf(src, 'key_states = repeat_kv'), lineOf(src, 'value_states = repeat_kv'), lineOf(src, 'k = k.repeat_interleave'), lineOf(src, 'v = v.repeat_interleave')]);
    assert.deepEqual(at('scores'), [lineOf(src, 'attn_weights = torch.matmul(query')]);
    assert.deepEqual(at('scale'), [lineOf(src, 'attn_weights = torch.matmul(query')]);
    assert.deepEqual(at('softmax'), [lineOf(src, 'nn.functional.softmax')]);
    assert.deepEqual(at('weighted-sum'), [lineOf(src, 'attn_output = torch.matmul(attn_weights, value_states)')]);
  });
});

describe('code analysis: negatives', () => {
  it('the same words in comments and strings, .encode on non-tokenizers, other products: nothing', async () => {
    const { a } = await analyse('negatives.py');
    assert.deepEqual(a.references, []);
    assert.deepEqual(a.literals, []);
    assert.deepEqual(a.steps, []);
  });

  it('an unbound tok.encode is no tokenizer, but a name like `tokenizer` is (counted with the configured one)', async () => {
    const a = await analyzeCode('def f(tokenizer, tok):\n    tok.encode("a")\n    tokenizer.encode("b")\n    self.tokenizer("c")\n', 'python');
    assert.deepEqual(a.literals.map((l) => [l.value, l.tokenizerId]), [['b', undefined], ['c', undefined]]);
  });
});
