/**
 * The panel's modern-decoder arithmetic (webview/views/attention/decoderMath.ts,
 * variantsNote.ts) and what the worker sends for it: GQA grouping, KV-cache bytes for
 * published configs (SmolLM2-135M, Llama-3.2-1B config.json numbers), RoPE's rotation and
 * shift invariance checked against the engine's own rope.ts and step trace on llama-tiny,
 * sliding windows against the engine's mask (llama-tiny read as Mistral with a window),
 * and the protocol: new fields validated, trace files without them still open.
 */
import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStepTraceJob } from '../../src/engine/model/attentionJob';
import { applyRope, ropeTables } from '../../src/engine/model/rope';
import { handle } from '../../src/engine/worker/handlers';
import { parseTrace } from '../../src/host/panel/traceFile';
import { isPanelAttention, type PanelAttention } from '../../src/shared/protocol';
import { dot, formatBytes, kvCacheBytesPerToken, kvGroups, kvHeadOf, normStats, panelArchitecture, rotate, shiftedScores, slidingMask, windowHidden } from '../../webview/views/attention/decoderMath';
import { groupText, headsLine, kvCacheLines, layerRanges } from '../../webview/views/attention/decoderText';
import { traceFileText } from '../../webview/views/attention/traceJson';
import { HF_FIXTURES } from '../engine/fixtures';

const LLAMA = join(HF_FIXTURES, 'models', 'llama-tiny');
const TEXT = 'The quick brown fox jumps over the lazy dog';

/** What panelSession.ts posts: the worker's answer as a PanelAttention. */
function panelMessage(a: ReturnType<typeof handle<'attention'>>): PanelAttention {
  return {
    model: a.model, description: a.description, tokens: a.tokens, causal: a.causal, layers: a.layers, heads: a.heads, T: a.T, notice: a.notice,
    weights: a.attentions, nextTokenTop: a.nextTokenTop, maskTop: a.maskTop, namedHeads: a.namedHeads, forwardMs: a.timings.forward, nextLogits: a.nextLogits, ...a.architecture,
  };
}

describe('panel: GQA and the KV cache', () => {
  it('groups query heads by the K/V head they read (repeat_kv layout)', () => {
    assert.deepEqual(kvGroups(4, 2), [{ kv: 0, first: 0, last: 1 }, { kv: 1, first: 2, last: 3 }]);
    assert.deepEqual(kvGroups(9, 3).map((g) => [g.first, g.last]), [[0, 2], [3, 5], [6, 8]]); // SmolLM2-135M
    assert.deepEqual(kvGroups(12, 12)[5], { kv: 5, first: 5, last: 5 });
    assert.equal(kvHeadOf(5, 9, 3), 1);
    assert.equal(kvHeadOf(31, 32, 8), 7); // Llama-3.2-1B: 32 query heads, 8 K/V heads
    assert.throws(() => kvGroups(4, 3), /4 query heads cannot share 3 key\/value heads/);
    assert.equal(groupText({ kv: 0, first: 0, last: 2 }), 'query heads 0–2 read K/V head 0');
    assert.equal(groupText({ kv: 3, first: 3, last: 3 }), 'query head 3 reads K/V head 3');
    assert.equal(layerRanges([0, 1, 2, 5, 7, 8]), '0–2, 5, 7–8');
  });

  it('KV cache per token: SmolLM2-135M 46,080 B (float32) vs 138,240 B multi-head; Llama-3.2-1B 32 KiB in bf16', () => {
    // SmolLM2-135M config.json: num_hidden_layers 30, num_attention_heads 9, num_key_value_heads 3, hidden_size 576 (head_dim 64).
    assert.equal(kvCacheBytesPerToken({ layers: 30, kvHeads: 3, headDim: 64 }, 4), 46_080);
    assert.equal(kvCacheBytesPerToken({ layers: 30, kvHeads: 9, headDim: 64 }, 4), 138_240);
    // Llama-3.2-1B: 16 layers, 8 K/V heads, head_dim 64, served in bf16.
    assert.equal(kvCacheBytesPerToken({ layers: 16, kvHeads: 8, headDim: 64 }, 2), 32 * 1024);
    assert.equal(formatBytes(46_080), '46,080 B (45 KiB)');
    assert.equal(formatBytes(23_040), '23,040 B (22.5 KiB)');
    assert.equal(formatBytes(32 * 1024), '32,768 B (32 KiB)');
    assert.equal(formatBytes(512), '512 B');
    const smol = { heads: 9, kvHeads: 3, headDim: 64, layers: 30, model: 'SmolLM2-135M' } as PanelAttention;
    const lines = kvCacheLines(smol)!;
    assert.match(lines[0], /2 \(K and V\) × 30 layers × 3 K\/V heads × 64 dims × 4 bytes \(float32, as this engine holds them\) = 46,080 B \(45 KiB\); .* it would be 138,240 B \(135 KiB\), 3× more/);
    assert.match(lines[1], /fp16 or bf16 \(2 bytes a number\): 23,040 B \(22\.5 KiB\) per token/);
    assert.match(headsLine(smol), /9 query heads share 3 K\/V heads, 3 per group: query heads 0–2 read K\/V head 0; query heads 3–5 read K\/V head 1; query heads 6–8 read K\/V head 2/);
    assert.equal(kvCacheLines({ heads: 4, layers: 2 } as PanelAttention), undefined, 'an old trace file has no head size');
  });
});

describe('panel: RoPE in the step trace (llama-tiny, against the engine)', () => {
  const { trace, tokens } = runStepTraceJob({ model: LLAMA, text: TEXT, layer: 1, head: 3, query: 7 });
  const rope = trace.rope!;

  it('the trace carries the unrotated q and k, θ_i = 1/10000^(2i/8) and the angles m·θ_i', () => {
    assert.ok(rope, 'a RoPE model has the rope part');
    assert.equal(tokens.length, trace.T);
    assert.equal(trace.kvHeads, 2);
    assert.equal(trace.kvHead, 1, 'query head 3 of 4 reads K/V head 1 of 2');
    assert.equal(rope.rotaryDim, 8);
    [1, 0.1, 0.01, 0.001].forEach((f, i) => assert.ok(Math.abs(rope.invFreq[i] - f) < 1e-7 * f * 10, `θ_${i} = ${rope.invFreq[i]}`));
    assert.equal(rope.angles[5][1], Math.fround(rope.invFreq[1] * 5));
  });

  it('rotating the unrotated q and k here gives exactly the engine\'s rotated q and k', () => {
    assert.deepEqual(rotate(rope.qUnrotated, rope.invFreq, trace.query), trace.q);
    for (let n = 0; n < trace.T; n++) assert.deepEqual(rotate(rope.kUnrotated[n], rope.invFreq, n), trace.k[n], `key ${n}`);
    for (let n = 0; n <= trace.query; n++) assert.ok(Math.abs(dot(trace.q, trace.k[n]) - trace.raw[n]) < 1e-5, `q·k of key ${n}`);
  });

  it('the score at (m + s, n + s) equals the engine\'s rope.ts rotation there and the real score (m − n only)', () => {
    const shifts = [0, 1, 7, 100, 1000];
    const m = trace.query;
    let moved = 0;
    for (let n = 0; n <= m; n++) {
      const ours = shiftedScores(rope.qUnrotated, rope.kUnrotated[n], rope.invFreq, m, n, shifts);
      for (const r of ours) {
        // The engine's rotation: tables for m + s + 1 positions, applyRope on a one-row buffer at each position.
        const tables = ropeTables({ type: 'default', theta: rope.theta, rotaryDim: rope.rotaryDim }, r.m + 1);
        const q = Float32Array.from(rope.qUnrotated), k = Float32Array.from(rope.kUnrotated[n]);
        applyRope(q, tables, 1, q.length, 0, 1, q.length, r.m);
        applyRope(k, tables, 1, k.length, 0, 1, k.length, r.n);
        assert.ok(Math.abs(r.score - dot(Array.from(q), Array.from(k))) < 1e-6, `shift ${r.shift}, key ${n}: ours = the engine's rotation`);
        assert.ok(Math.abs(r.score - trace.raw[n]) < 1e-4 * Math.max(1, Math.abs(trace.raw[n])), `shift ${r.shift}, key ${n}: ${r.score} vs the model's ${trace.raw[n]}`);
      }
      const gapChanged = dot(rotate(rope.qUnrotated, rope.invFreq, m + 1), rotate(rope.kUnrotated[n], rope.invFreq, n));
      if (Math.abs(gapChanged - trace.raw[n]) > 1e-3) moved++;
    }
    assert.ok(moved > m / 2, `changing m − n changes most scores (${moved} of ${m + 1})`);
  });

  it('norm and FFN parts: RMSNorm statistics, the gated FFN\'s gate and up', () => {
    assert.equal(trace.normKind, 'rmsnorm');
    assert.equal(trace.ffn, 'gated');
    assert.equal(trace.ffnUp?.length, trace.ffnPre.length);
    const silu = (x: number) => x / (1 + Math.exp(-x));
    trace.ffnAct.slice(0, 16).forEach((v, i) => assert.ok(Math.abs(v - silu(trace.ffnPre[i]) * trace.ffnUp![i]) < 1e-5, `act(gate) ⊙ up at ${i}`));
    const st = normStats([1, 2, 3, 6]);
    assert.equal(st.mean, 3);
    assert.ok(Math.abs(st.std - Math.sqrt(3.5)) < 1e-12 && Math.abs(st.rms - Math.sqrt(12.5)) < 1e-12);
  });
});

describe('panel: sliding windows against the engine\'s mask', () => {
  it('llama-tiny read as Mistral with sliding_window 3: the window hides keys ≤ q − 3', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tt-mistral-'));
    try {
      cpSync(LLAMA, dir, { recursive: true });
      const cfg = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, model_type: 'mistral', architectures: ['MistralForCausalLM'], sliding_window: 3 }));
      const { trace } = runStepTraceJob({ model: dir, text: TEXT, layer: 0, head: 0, query: 6 });
      assert.equal(trace.slidingWindow, 3);
      const hidden = windowHidden(6, 3);
      assert.deepEqual(hidden, [0, 1, 2, 3]);
      const engineHidden = trace.mask.flatMap((v, k) => (v === -Infinity && k <= trace.query ? [k] : []));
      assert.deepEqual(engineHidden, hidden);
      assert.deepEqual(Array.from(slidingMask(trace.T, true, 3).subarray(6 * trace.T, 7 * trace.T)), trace.mask);
      hidden.forEach((k) => assert.equal(trace.weights[k], 0));
      const a = handle({ kind: 'attention', model: dir, text: TEXT, record: 'weights' });
      assert.deepEqual(a.architecture.slidingWindows, [3, 3]);
      assert.ok(isPanelAttention(panelMessage(a)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(windowHidden(2, 3), []);
    assert.deepEqual(windowHidden(5, 0), []);
  });
});

describe('panel: the architecture in PanelAttention', () => {
  it('llama-tiny: 4 heads (2 KV), head size 8, RMSNorm, gated FFN, RoPE θ 10000 with its invFreq', () => {
    const a = handle({ kind: 'attention', model: LLAMA, text: TEXT, record: 'weights' });
    assert.match(a.description, /4 heads \(2 KV\)/);
    const { architecture: arch } = a;
    assert.equal(arch.kvHeads, 2); assert.equal(arch.headDim, 8);
    assert.equal(arch.normKind, 'rmsnorm'); assert.equal(arch.ffn, 'gated'); assert.equal(arch.positions, 'rope');
    assert.deepEqual(arch.slidingWindows, [0, 0]);
    assert.equal(arch.rope?.theta, 10000); assert.equal(arch.rope?.type, 'default');
    assert.deepEqual(arch.rope?.invFreq, Array.from(Float32Array.from([1, 0.1, 0.01, 0.001])));
    const msg = panelMessage(a);
    assert.ok(isPanelAttention(msg));
    // A saved trace keeps the fields and opens again.
    const saved = traceFileText(msg);
    const back = parseTrace(saved) as PanelAttention;
    assert.ok(isPanelAttention(back));
    assert.deepEqual(back.rope?.invFreq, arch.rope?.invFreq);
    assert.deepEqual(back.nextLogits, a.nextLogits, 'the next-token logits survive the file');
    // Files saved before wrote the Float32Array as {"0": …}: they open too.
    const older = JSON.parse(saved);
    older.attention.nextLogits = { ...Array.from(a.nextLogits!) };
    assert.deepEqual((parseTrace(JSON.stringify(older)) as PanelAttention).nextLogits, a.nextLogits);
    assert.equal(panelArchitecture(back).kvHeads, 2);
  });

  it('tiny-gpt: multi-head, LayerNorm, MLP, a position table, no RoPE', () => {
    const a = handle({ kind: 'attention', model: 'tiny-gpt', text: TEXT, record: 'weights' });
    assert.deepEqual({ ...a.architecture, headDim: 0 }, { kvHeads: a.heads, headDim: 0, normKind: 'layernorm', ffn: 'mlp', positions: 'table', slidingWindows: new Array(a.layers).fill(0) });
    assert.doesNotMatch(a.description, /KV/);
    assert.ok(isPanelAttention(panelMessage(a)));
  });

  it('an old trace file without the fields opens as multi-head attention; wrong fields are refused', () => {
    const T = 2, H = 4;
    const old = { model: 'gpt2', description: 'd', tokens: [{ id: 1, text: 'a' }, { id: 2, text: 'b' }], causal: true, layers: 1, heads: H, T, weights: [new Array(H * T * T).fill(0.5)], namedHeads: [], forwardMs: 0 };
    const back = parseTrace(JSON.stringify({ format: 'transformer-tracer-trace', version: 1, attention: old })) as PanelAttention;
    assert.ok(isPanelAttention(back));
    assert.deepEqual(panelArchitecture(back), { kvHeads: 4, headDim: undefined, normKind: 'layernorm', ffn: 'mlp', positions: 'table', slidingWindows: [0] });
    const base = { ...back, kvHeads: 2, headDim: 8, normKind: 'rmsnorm' as const, ffn: 'gated' as const, positions: 'rope' as const, slidingWindows: [0], rope: { type: 'default', theta: 10000, rotaryDim: 8, invFreq: [1, 0.1, 0.01, 0.001] } };
    assert.ok(isPanelAttention(base));
    for (const bad of [{ kvHeads: 3 }, { kvHeads: 0 }, { normKind: 'batchnorm' }, { ffn: 'moe' }, { positions: 'alibi' }, { slidingWindows: [0, 0] }, { slidingWindows: [-1] },
      { rope: { ...base.rope, invFreq: [1, 0.1] } }, { rope: { ...base.rope, rotaryDim: 16 } }, { rope: { ...base.rope, invFreq: [1, 0.1, 'x', 0.001] } }, { rope: 'default' }]) {
      assert.ok(!isPanelAttention({ ...base, ...bad }), JSON.stringify(bad));
    }
  });
});
