/**
 * Load a model folder (config.json + safetensors) into memory, ready for `forward`.
 * Tensors are read one by one and the files closed afterwards; resident memory is the
 * float32 weights plus, at most, one tensor in flight.
 */
import { basename } from 'node:path';
import { openCheckpoint } from './checkpoint';
import { parseConfig, type ModelConfig } from './config';
import { tsKernels, type Kernels } from './kernels';
import { forward, type ForwardInput, type ForwardOptions, type ForwardResult } from './transformer';
import { loadWeights, type ModelWeights } from './weights';

export interface LoadedModel {
  name: string;
  folder: string;
  config: ModelConfig;
  weights: ModelWeights;
  kernels: Kernels;
}

export interface LoadOptions {
  /** The matmul kernels; the plain TypeScript ones when absent. */
  kernels?: Kernels;
  name?: string;
}

export function loadModel(path: string, opts: LoadOptions = {}): LoadedModel {
  const ck = openCheckpoint(path);
  try {
    const config = parseConfig(ck.configJson);
    const weights = loadWeights(ck, config);
    return { name: opts.name ?? basename(ck.folder), folder: ck.folder, config, weights, kernels: opts.kernels ?? tsKernels };
  } finally {
    ck.close();
  }
}

export function runModel(model: LoadedModel, input: ForwardInput, opts: Omit<ForwardOptions, 'kernels'> = {}): ForwardResult {
  return forward(model.config, model.weights, input, { ...opts, kernels: model.kernels });
}
