/**
 * The step trace on Llama-family models: the attention row is transformers' (golden.json),
 * the query head reads K/V head ⌊h / (NH / NKV)⌋, q and k are the unrotated vectors rotated
 * by RoPE's textbook formula (angle m · θ^(−2i/d), pairs i and i + d/2, computed here from
 * config.json's θ), and with a sliding window the keys it hides are masked.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runStepTraceJob } from '../../../src/engine/model/attentionJob';
import { HF_FIXTURES } from '../fixtures';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);

/** RoPE by the formula (rotate_half layout), in float64. */
function rotate(x: number[], m: number, theta: number, d: number): number[] {
  const out = [...x];
  for (let i = 0; i < d / 2; i++) {
    const a = m / theta ** ((2 * i) / d);
    out[i] = x[i] * Math.cos(a) - x[i + d / 2] * Math.sin(a);
    out[i + d / 2] = x[i + d / 2] * Math.cos(a) + x[i] * Math.sin(a);
  }
  return out;
}

const CASES: { name: string; folder: string; theta: number; fullLayer: number }[] = [
  { name: 'llama-tiny', folder: join(HF_FIXTURES, 'models', 'llama-tiny'), theta: 1e4, fullLayer: 1 },
  { name: 'qwen2-tiny', folder: join(HF_FIXTURES, 'models', 'qwen2-tiny'), theta: 1e6, fullLayer: 1 },
  { name: 'gemma3-tiny', folder: join(__dirname, '..', '..', 'fixtures', 'decoders', 'gemma3-tiny'), theta: 1e4, fullLayer: 0 },
];

for (const c of CASES) {
  describe(`step trace with RoPE and GQA on ${c.name}`, () => {
    const golden = JSON.parse(readFileSync(join(c.folder, 'golden.json'), 'utf8')).cases.at(-1) as { input_ids: number[]; attentions: number[][][][] };
    const T = golden.input_ids.length;
    for (const [layer, head, query] of [[0, 0, T - 1], [c.fullLayer, 3, Math.floor(T / 2)]]) {
      it(`layer ${layer} head ${head} query ${query}`, () => {
        const { trace: s } = runStepTraceJob({ model: c.folder, ids: golden.input_ids, layer, head, query });
        golden.attentions[layer][head][query].forEach((v, k) => assert.ok(Math.abs(v - s.weights[k]) < 1e-5, `weight ${k}: ${s.weights[k]} vs transformers ${v}`));
        assert.equal(s.kvHeads, 2);
        assert.equal(s.kvHead, Math.floor(head / (s.heads / s.kvHeads)));
        assert.ok(s.rope, 'RoPE details');
        const rope = s.rope!;
        assert.equal(rope.rotaryDim, s.headSize);
        // gemma3-tiny's layer 0 slides (θ 10⁴); llama/qwen2 rotate every layer with config.json's θ
        if (c.name !== 'gemma3-tiny' || s.slidingWindow > 0) {
          const q = rotate(rope.qUnrotated, query, c.theta, rope.rotaryDim);
          q.forEach((v, i) => assert.ok(Math.abs(v - s.q[i]) < 1e-4, `rotated q[${i}] ${s.q[i]} vs formula ${v}`));
          for (let k = 0; k <= query; k++) {
            const kk = rotate(rope.kUnrotated[k], k, c.theta, rope.rotaryDim);
            kk.forEach((v, i) => assert.ok(Math.abs(v - s.k[k][i]) < 1e-4, `rotated k[${k}][${i}]`));
            assert.ok(Math.abs(rope.angles[k][1] - k / c.theta ** (2 / rope.rotaryDim)) < 1e-4 * Math.max(1, k), `angle at ${k}`);
          }
        }
        for (let k = 0; k < T; k++) {
          assert.ok(Math.abs(s.raw[k] - dot(s.q, s.k[k])) < 1e-4, `raw ${k}`);
          const hidden = k > query || (s.slidingWindow > 0 && query - k >= s.slidingWindow);
          assert.equal(s.mask[k], hidden ? -Infinity : 0, `mask ${k}`);
          if (hidden) assert.equal(s.weights[k], 0);
        }
        assert.equal(s.normKind, 'rmsnorm');
        assert.equal(s.ffn, 'gated');
        assert.equal(s.ffnUp?.length, s.ffnPre.length);
      });
    }
  });
}
