/**
 * The explanations corrected on review (issue 24) keep their key facts, in English and in
 * the zh-CN bundle: Shaw et al. add vectors to the keys, only T5 a scalar bias per bucket;
 * RoPE puts position into q·k through m − n only; sinusoids' linear map comes from rotations;
 * a causal mask already gives some order; GQA's quality holds for trained / up-trained models;
 * 80/10/10 is about [MASK] missing at fine-tuning; BatchNorm normalizes over the batch axis.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const zh = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
// explain.ts's table, read as text (it imports the DOM helpers, which the test build has no types for)
const source = readFileSync(join(root, 'webview', 'views', 'attention', 'explain.ts'), 'utf8');
const TOPIC_TEXT = new Map([...source.matchAll(/^\s+(\w+): \['((?:[^'\\]|\\.)*)',\n\s+'((?:[^'\\]|\\.)*)'\]/gm)].map((m) => [m[1], m[3].replace(/\\'/g, "'")]));
type Topic = string;
const en = (topic: Topic) => { const s = TOPIC_TEXT.get(topic); assert.ok(s, `topic ${topic} exists`); return s; };
const cn = (topic: Topic) => { const s = zh[en(topic)]; assert.ok(s, `${topic} has a zh-CN entry`); return s; };
const has = (text: string, ...parts: (string | RegExp)[]) => { for (const p of parts) assert.ok(typeof p === 'string' ? text.includes(p) : p.test(text), `${JSON.stringify(p.toString())} in ${text.slice(0, 60)}…`); };

describe('corrected explanations (both languages)', () => {
  it('relative: Shaw adds vectors to the keys, T5 a scalar per bucket; RoPE through m − n', () => {
    has(en('relative'), 'to the key', 'q·a₍j−i₎', 'scalar per head', 'bucket', 'm − n');
    assert.ok(!/depends only on the difference/.test(en('relative')));
    has(cn('relative'), '加到键上', 'q·a₍j−i₎', '标量偏置', '桶', 'm − n', '仍取决于 q 和 k 的内容');
    assert.ok(!cn('relative').includes('只依赖于两个位置之差'));
  });
  it('positions: rotations give the linear map, the geometric series the scales; the causal mask gives some order', () => {
    has(en('positions'), 'rotates every pair', 'geometric series', 'range of scales', 'causal decoder is not fully order-blind', '1024', '512');
    assert.ok(!en('positions').startsWith('Attention by itself is order-blind'));
    has(cn('positions'), '旋转', '等比数列', '尺度范围', '因果解码器并非完全不感知顺序');
  });
  it('gqa: quality holds for models trained or up-trained with GQA, not a converted checkpoint', () => {
    has(en('gqa'), 'trained with GQA', 'up-trained', 'without further training does not', '1/g');
    has(cn('gqa'), '用 GQA 训练', '继续训练', '不再训练', '1/g');
  });
  it('mlm: the pre-training / fine-tuning mismatch and honest representations', () => {
    has(en('mlm'), 'mismatch between pre-training and fine-tuning', 'never appears when the model is fine-tuned', 'honest representation', 'NSP');
    has(cn('mlm'), '预训练与微调之间的不一致', '微调', '如实的表示', 'NSP');
  });
  it('layernorm: BatchNorm over the batch axis (and positions), LayerNorm over one token\'s features', () => {
    has(en('layernorm'), 'over its own features', 'over the batch axis', 'across all positions');
    has(cn('layernorm'), '自身的特征', '沿批次维度', '所有位置');
  });
  it('the new topics are in both languages: BPE </w>, BBPE 好 → E5 A5 BD, WordPiece ##, [CLS]/[SEP], training', () => {
    has(en('bpe'), '</w>', 'lowest rank first'); has(cn('bpe'), '</w>');
    has(en('bbpe'), '好 is E5 A5 BD'); has(cn('bbpe'), '好 是 E5 A5 BD');
    has(en('wordpiece'), '##', 'longest prefix'); has(cn('wordpiece'), '##', '最长前缀');
    has(en('special'), '[CLS] A [SEP] B [SEP]'); has(cn('special'), '[CLS] A [SEP] B [SEP]');
    has(en('noam'), 'd_model^−0.5 · min(step^−0.5, step · warmup^−1.5)'); has(cn('noam'), 'warmup^−1.5');
    has(en('crossentropy'), '−log p(true token)'); has(en('adam'), 'm̂ / (√v̂ + ε)'); has(en('teacherforcing'), 'shifted right by one');
    // the Noam peak the text quotes, d_model 512 and 4000 warm-up steps
    assert.equal((512 ** -0.5 * 4000 ** -0.5).toExponential(1), '7.0e-4');
  });
});
