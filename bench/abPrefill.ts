/**
 * A/B prefill timing: this checkout's engine against another copy of the source tree
 * (`npx tsx bench/abPrefill.ts /path/to/other/checkout [runs]`, e.g. an earlier commit
 * exported with `git archive <commit> src | tar -x -C /tmp/old`), both loaded in this one
 * process and timed alternately on the bench's GPT-2 and SmolLM2 folders (128 tokens,
 * record 'all' + the LM head on the last position, as bench/model.ts), then the
 * transformers peer (bench/transformers_peer.py) right after, so drift on a shared machine
 * hits all three alike. Prints medians and the ratios to the peer.
 */
import { resolve } from 'node:path';
import { gpt2SmallCheckpoint, smolLM2Checkpoint } from './checkpoints';
import { mulberry32 } from './corpus';
import { runPeer } from './model';

const T = 128;
type Engine = { loadModel: (dir: string) => { config: { vocabSize: number }; kernels: unknown; weights: unknown; threads: number; dispose(): void }; runModel: (...a: unknown[]) => { hidden: Float32Array }; logitsAt: (...a: unknown[]) => Float32Array };

async function engine(root: string): Promise<Engine> {
  const lm = await import(resolve(root, 'src/engine/model/loadModel.ts'));
  const heads = await import(resolve(root, 'src/engine/model/heads.ts'));
  return { loadModel: lm.loadModel, runModel: lm.runModel, logitsAt: heads.logitsAt };
}

async function main(): Promise<void> {
  const other = process.argv[2];
  const runs = Number(process.argv[3] ?? 5);
  const engines: [string, Engine][] = [['this', await engine(resolve(__dirname, '..'))], ['other', await engine(resolve(other))]];
  for (const [name, dir] of [['GPT-2 small', await gpt2SmallCheckpoint()], ['SmolLM2-135M', await smolLM2Checkpoint()]] as const) {
    const models = engines.map(([, e]) => e.loadModel(dir));
    const rand = mulberry32(7);
    const ids = Array.from({ length: T }, () => Math.floor(rand() * models[0].config.vocabSize));
    const prefill = (i: number) => {
      const e = engines[i][1], m = models[i];
      const r = e.runModel(m, { ids }, { record: 'all' });
      e.logitsAt(m.config, m.weights, r.hidden, T - 1, m.kernels);
    };
    const start = Date.now();
    while (Date.now() - start < 1000) { prefill(0); prefill(1); } // warm up, let the helpers start
    const times: number[][] = [[], []];
    for (let r = 0; r < runs; r++) for (const i of [0, 1]) { const t0 = performance.now(); prefill(i); times[i].push(performance.now() - t0); }
    const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
    const threads = models[0].threads;
    models.forEach((m) => m.dispose());
    const peer = runPeer<{ eager_ms: number; torch: string; transformers: string }>('transformers_peer.py', [dir, JSON.stringify(ids), String(runs), String(threads)]);
    const peerMs = typeof peer === 'string' ? NaN : peer.eager_ms;
    const [a, b] = [med(times[0]), med(times[1])];
    console.log(`${name}: this ${a.toFixed(0)} ms (${(a / peerMs).toFixed(2)}×) · other ${b.toFixed(0)} ms (${(b / peerMs).toFixed(2)}×) · transformers eager ${peerMs.toFixed(0)} ms${typeof peer === 'string' ? ` (${peer})` : ''} · this/other ${(a / b).toFixed(2)}`);
  }
}

void main();
