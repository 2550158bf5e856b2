/**
 * Benchmark 4b: decode speed. After a 128-token prompt, 64 new tokens, greedy, with the KV
 * cache, on the two shapes of bench 4 (bench/checkpoints.ts): ours is
 * src/engine/model/generate.ts `generate(model, ids, {maxNewTokens: 64})`, the peer Hugging
 * Face transformers `generate(do_sample=False, use_cache=True)` on the same folder and
 * threads (bench/transformers_peer.py decode:64). Neither side stops at EOS, so both make
 * all 64 tokens, and the ids are compared. Ms per decoded token excludes the prefill on
 * both sides (ours: steps 2…64; theirs: (t₆₄ − t₁) / 63). Speed ratio = peer ms / ours
 * (above 1: we are faster; goal ≥ 1.0).
 * Decoding is a matrix–vector product per weight matrix: every weight is read once per
 * token, so the bench prints the bytes of weights read per token (the layers' matrices and
 * the LM head, float32) and the GB/s that implies.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generate } from '../src/engine/model/generate';
import { loadModel, type LoadedModel } from '../src/engine/model/loadModel';
import { gpt2SmallCheckpoint, smolLM2Checkpoint } from './checkpoints';
import { mulberry32 } from './corpus';
import { runPeer, type PeerInfo } from './model';
import { recordResult } from './results';

const PROMPT = 128;
const NEW_TOKENS = 64;

interface DecodePeer extends PeerInfo { class: string; attn: string; generate_ms: number; generate_1_ms: number; ms_per_token: number; new_ids: number[] }

/** Bytes of weights one decoded token reads: every layer matrix and the LM head, at 4 bytes a float. */
export function weightBytesPerToken(model: LoadedModel): number {
  let floats = model.weights.head?.decoder.length ?? 0;
  for (const l of model.weights.layers) floats += l.qkvW.length + l.attnProjW.length + l.fcW.length + (l.upW?.length ?? 0) + l.fcProjW.length;
  return floats * 4;
}

/** Our ms per decoded token (median over `runs` generations after a warm-up) and the new ids. */
function oursDecode(model: LoadedModel, ids: number[], runs: number): { ms: number; prefillMs: number; newIds: number[] } {
  generate(model, ids, { maxNewTokens: 8 }); // warm-up (and lets the helper threads start)
  const runsMs: number[] = [], prefills: number[] = [];
  let newIds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const r = generate(model, ids, { maxNewTokens: NEW_TOKENS });
    runsMs.push(r.msPerToken);
    prefills.push(r.prefillMs);
    newIds = r.newIds;
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { ms: med(runsMs), prefillMs: med(prefills), newIds };
}

async function shapeDecode(title: string, key: string, dir: string, runs: number): Promise<void> {
  console.log(`\n   ${title}`);
  const rand = mulberry32(7);
  const vocab = (JSON.parse(readFileSync(resolve(dir, 'config.json'), 'utf8')) as { vocab_size: number }).vocab_size;
  const ids = Array.from({ length: PROMPT }, () => Math.floor(rand() * vocab));
  const model = loadModel(dir);
  const bytes = weightBytesPerToken(model);
  const ours = oursDecode(model, ids, runs);
  const threads = model.threads;
  const kernels = model.kernels.name;
  model.dispose();
  const gbs = (ms: number) => (bytes / ms / 1e6).toFixed(1);
  console.log(`   ours (${kernels}, ${threads} threads): ${ours.ms.toFixed(1)} ms per token (${(1000 / ours.ms).toFixed(1)} tokens/s; prefill step ${ours.prefillMs.toFixed(0)} ms) · weights read per token ${(bytes / 1e6).toFixed(0)} MB → ${gbs(ours.ms)} GB/s`);
  recordResult(`${key}_decode_ms_per_token`, ours.ms);
  const peer = runPeer<DecodePeer>('transformers_peer.py', [dir, JSON.stringify(ids), String(runs), String(threads), `decode:${NEW_TOKENS}`]);
  if (typeof peer === 'string') {
    console.log(`   transformers peer unavailable (${peer})`);
    return;
  }
  const same = peer.new_ids.length === ours.newIds.length && peer.new_ids.every((id, i) => id === ours.newIds[i]);
  const speed = peer.ms_per_token / ours.ms;
  console.log(`   transformers ${peer.transformers} ${peer.class} generate (${peer.attn}, use_cache) on PyTorch ${peer.torch}, ${peer.threads} threads: ${peer.ms_per_token.toFixed(1)} ms per token (${(1000 / peer.ms_per_token).toFixed(1)} tokens/s; generate of ${NEW_TOKENS} ${peer.generate_ms.toFixed(0)} ms, of 1 ${peer.generate_1_ms.toFixed(0)} ms) · ${gbs(peer.ms_per_token)} GB/s`);
  console.log(`   → ours/peer tokens per second = ${speed.toFixed(2)}× (goal ≥ 1.0×) · ${NEW_TOKENS} new ids equal: ${same ? 'yes' : `NO (first difference at ${peer.new_ids.findIndex((id, i) => id !== ours.newIds[i])})`}`);
  recordResult(`${key}_decode_speed_ratio`, speed);
  recordResult(`${key}_decode_peer_ms_per_token`, peer.ms_per_token);
  recordResult(`${key}_decode_ids_equal`, same);
}

export async function decodeBench(runs = 3): Promise<void> {
  console.log(`\n4b. Decode: ${NEW_TOKENS} new tokens after a ${PROMPT}-token prompt, greedy, KV cache, median of ${runs} (speed ratio ours/peer: above 1, we are faster)`);
  await shapeDecode('GPT-2-small shape', 'gpt2', await gpt2SmallCheckpoint(), runs);
  await shapeDecode('SmolLM2-135M shape', 'smollm', await smolLM2Checkpoint(), runs);
}
