/**
 * Reading a checkpoint's tensors into the engine's buffers by Hugging Face name: found with
 * or without the model prefix (`transformer.`, `bert.`, `model.`), legacy LayerNorm names
 * `gamma`/`beta` accepted, every shape checked against what config.json implies, the
 * floats counted for the memory report. The family modules (architectures/*.ts) use it.
 */
import type { Checkpoint } from './checkpoint';
import { modelError } from './modelError';
import type { Allocate } from './weights';

export class WeightReader {
  floats = 0;
  constructor(private readonly ck: Checkpoint, private readonly prefixes: string[], private readonly alloc: Allocate, private readonly onFloats?: (floats: number) => void) {}

  /** The stored name for `name` (with a model prefix or not, legacy LayerNorm names). */
  resolve(name: string): string | undefined {
    const variants = [name];
    if (name.endsWith('LayerNorm.weight')) variants.push(name.replace(/weight$/, 'gamma'));
    if (name.endsWith('LayerNorm.bias')) variants.push(name.replace(/bias$/, 'beta'));
    for (const p of this.prefixes) for (const v of variants) if (this.ck.info(p + v)) return p + v;
    return undefined;
  }

  has(name: string): boolean { return this.resolve(name) !== undefined; }

  /** The stored shape of `name` (undefined when absent), to check a group of tensors before allocating for them. */
  shape(name: string): readonly number[] | undefined {
    const stored = this.resolve(name);
    return stored === undefined ? undefined : this.ck.info(stored)!.shape;
  }

  /** Read `name` when the checkpoint holds it (optional biases, untied heads). */
  maybe(name: string, shape: number[]): Float32Array | undefined {
    return this.has(name) ? this.read(name, shape) : undefined;
  }

  /** Read `name`, checking its shape; `into` lets callers stack tensors into one buffer. */
  read(name: string, shape: number[], into?: Float32Array): Float32Array {
    const stored = this.resolve(name);
    if (!stored) throw modelError`the checkpoint has no tensor ${name} (looked for it with prefixes ${this.prefixes.map((p) => JSON.stringify(p)).join(', ')})`;
    const info = this.ck.info(stored)!;
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw modelError`tensor ${stored} has shape [${info.shape.join(', ')}], but config.json implies [${shape.join(', ')}]`;
    }
    const n = shape.reduce((a, b) => a * b, 1);
    const out = into ?? this.alloc(n);
    if (!into) this.floats += n;
    this.ck.readF32(stored, out);
    if (!into) this.onFloats?.(this.floats);
    return out;
  }

  /** Read a Conv1D weight stored [rows, cols] and return it transposed, [cols, rows]. */
  readTransposed(name: string, rows: number, cols: number): Float32Array {
    const tmp = this.read(name, [rows, cols], new Float32Array(rows * cols));
    const out = this.alloc(rows * cols);
    this.floats += rows * cols;
    // 32 × 32 tiles: both sides stay in cache (a plain double loop is ~4× slower on 768 × 3072)
    for (let r0 = 0; r0 < rows; r0 += 32) {
      for (let c0 = 0; c0 < cols; c0 += 32) {
        const rEnd = Math.min(r0 + 32, rows), cEnd = Math.min(c0 + 32, cols);
        for (let r = r0; r < rEnd; r++) for (let c = c0; c < cEnd; c++) out[c * rows + r] = tmp[r * cols + c];
      }
    }
    this.onFloats?.(this.floats);
    return out;
  }

  /** A computed table (Marian's sinusoids) placed where the weights live, counted. */
  countedCopy(values: Float32Array): Float32Array {
    const out = this.allocCounted(values.length);
    out.set(values);
    return out;
  }

  allocCounted(n: number): Float32Array {
    this.floats += n;
    return this.alloc(n);
  }
}

/**
 * Tensors stacked row-wise into one matrix (and their biases likewise): q | k | v of a
 * self-attention, or k | v of a cross attention. `bias`: 'required' reads every bias,
 * 'optional' reads them when the checkpoint has any, 'none' reads none.
 */
export function readStacked(r: WeightReader, parts: [string, number][], C: number, bias: 'required' | 'optional' | 'none'): { w: Float32Array; b?: Float32Array } {
  const rows = parts.reduce((n, [, k]) => n + k, 0);
  const w = r.allocCounted(rows * C);
  let at = 0;
  for (const [name, k] of parts) {
    r.read(`${name}.weight`, [k, C], w.subarray(at * C, (at + k) * C));
    at += k;
  }
  if (bias === 'none' || (bias === 'optional' && !parts.some(([name]) => r.has(`${name}.bias`)))) return { w };
  const b = r.allocCounted(rows);
  at = 0;
  for (const [name, k] of parts) {
    r.read(`${name}.bias`, [k], b.subarray(at, at + k));
    at += k;
  }
  return { w, b };
}
