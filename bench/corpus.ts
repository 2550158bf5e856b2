/**
 * Benchmark text, built deterministically from what the machine has: prose (the
 * Markdown documentation of installed npm packages), code (their JavaScript) and CJK
 * (Chinese sentences about Transformers, shuffled by a seeded generator).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir: string, ext: string, limit: number, out: string[] = [], state = { bytes: 0 }): string[] {
  let entries: string[];
  try { entries = readdirSync(dir).sort(); } catch { return out; }
  for (const name of entries) {
    if (state.bytes >= limit) break;
    const p = join(dir, name);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) collect(p, ext, limit, out, state);
    else if (name.endsWith(ext) && st.size < 200_000) {
      const text = readFileSync(p, 'utf8');
      out.push(text);
      state.bytes += text.length;
    }
  }
  return out;
}

const CJK_SENTENCES = [
  'Transformer是一种基于自注意力机制的深度学习模型。', '注意力机制让每个词都能看到句子中的其他词。', '位置编码告诉模型每个词在序列中的位置。',
  '多头注意力把表示空间分成几个子空间。', '残差连接和层归一化让深层网络更容易训练。', '解码器使用因果掩码，只能看到之前的词。',
  '好好学习，天天向上。', '我们在编辑器里直接观察每一层的注意力权重。', '分词器先把文本切成子词，再映射为编号。',
];

/** A small seeded PRNG (uniform in [0, 1)), so generated inputs are the same every run. */
export function mulberry32(seed: number): () => number {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About `bytes` UTF-16 units: 45% prose, 45% code, 10% CJK (≈ 25% of the UTF-8 bytes). */
export function mixedCorpus(root: string, bytes = 5_500_000): string {
  const modules = join(root, 'node_modules');
  const prose = collect(modules, '.md', bytes * 0.45).join('\n\n').slice(0, bytes * 0.45);
  const code = collect(modules, '.js', bytes * 0.45).join('\n').slice(0, bytes * 0.45);
  const rand = mulberry32(42);
  let cjk = '';
  while (cjk.length < bytes * 0.1) cjk += CJK_SENTENCES[Math.floor(rand() * CJK_SENTENCES.length)] + (rand() < 0.2 ? '\n' : '');
  return [prose, code, cjk].join('\n');
}
