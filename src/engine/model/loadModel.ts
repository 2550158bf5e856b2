/**
 * Load a model folder (config.json + safetensors) into memory, ready for `forward`.
 * Tensors are read one by one and the files closed afterwards; resident memory is the
 * float32 weights plus, at most, one tensor in flight. With WebAssembly SIMD (the
 * default where available) the weights are read straight into the kernel's memory.
 */
import { basename } from 'node:path';
import { openCheckpoint, type Checkpoint } from './checkpoint';
import { architectureModule, parseConfig, type ModelConfig } from './config';
import { tsKernels, type Kernels } from './kernels';
import { forward, type ForwardInput, type ForwardOptions, type ForwardResult } from './transformer';
import { checkFiniteOutput } from './heads';
import { createWasmArena, scratchFor } from './wasmKernels';
import { jsAllocate, loadWeights, type ModelWeights } from './weights';
import { phrase } from '../../shared/l10nText';

export type KernelChoice = 'auto' | 'wasm' | 'typescript';

export interface LoadedModel {
  name: string;
  folder: string;
  config: ModelConfig;
  weights: ModelWeights;
  kernels: Kernels;
  /** Bytes held for weights (and, with WebAssembly, the kernel's scratch). */
  bytes: number;
  /** Threads sharing each large product. */
  threads: number;
  /** Stop the kernel's helper threads (the weights stay usable on one thread). */
  dispose(): void;
}

export interface LoadOptions {
  kernels?: KernelChoice;
  /** Helper threads for the WebAssembly kernel (default: cores − 1, at most 3). */
  threads?: number;
  name?: string;
  /** Loading progress: bytes of float32 weights read so far, of `total`. */
  onProgress?(done: number, total: number): void;
}

/** An upper bound on the floats the weights need: every float tensor in the checkpoint. */
function checkpointFloats(ck: Checkpoint): number {
  let n = 0;
  for (const name of ck.names()) {
    const t = ck.info(name)!;
    if (t.dtype.startsWith('F') || t.dtype === 'BF16') n += t.shape.reduce((a, b) => a * b, 1);
  }
  return n;
}

export function loadModel(path: string, opts: LoadOptions = {}): LoadedModel {
  const ck = openCheckpoint(path);
  try {
    const config = parseConfig(ck.configJson);
    const choice = opts.kernels ?? 'auto';
    const floats = checkpointFloats(ck) + (architectureModule(config).computedFloats?.(config) ?? 0);
    const arena = choice === 'typescript' ? undefined : createWasmArena(floats, scratchFor(config), { threads: opts.threads });
    if (choice === 'wasm' && !arena) throw new Error('WebAssembly SIMD kernels are not available here');
    let weights: ModelWeights;
    try {
      weights = loadWeights(ck, config, arena?.allocate ?? jsAllocate, opts.onProgress && ((n) => opts.onProgress!(4 * n, 4 * floats)));
      opts.onProgress?.(4 * floats, 4 * floats);
    } catch (e) {
      arena?.dispose();
      throw e;
    }
    return {
      name: opts.name ?? basename(ck.folder), folder: ck.folder, config, weights,
      kernels: arena?.kernels ?? tsKernels, bytes: arena?.bytes ?? weights.floats * 4,
      threads: arena?.threads ?? 1, dispose: () => arena?.dispose(),
    };
  } finally {
    ck.close();
  }
}

export function runModel(model: LoadedModel, input: ForwardInput, opts: Omit<ForwardOptions, 'kernels'> = {}): ForwardResult {
  const result = forward(model.config, model.weights, input, { ...opts, kernels: model.kernels });
  checkFiniteOutput(result.hidden, phrase`last hidden state`, model.config.hidden);
  return result;
}
