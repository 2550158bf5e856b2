/**
 * Write a safetensors file (the layout readHeader checks): used by the benchmark to make
 * GPT-2-shaped random checkpoints and by tests to build sharded and broken files.
 * The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
import { DTYPE_BYTES, type DType } from './safetensors';

export interface TensorToWrite {
  name: string;
  dtype: DType;
  shape: number[];
  /** Little-endian bytes, shape × dtype size long. */
  bytes: Uint8Array;
}

export function encodeSafetensors(tensors: TensorToWrite[], metadata?: Record<string, string>): Uint8Array[] {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const expected = t.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype];
    if (expected !== t.bytes.length) throw new Error(`${t.name}: ${t.bytes.length} bytes for shape [${t.shape}] ${t.dtype}`);
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((json.length + 8) % 8)) % 8);
  const head = new Uint8Array(8 + Buffer.byteLength(json));
  new DataView(head.buffer).setBigUint64(0, BigInt(head.length - 8), true);
  head.set(Buffer.from(json), 8);
  return [head, ...tensors.map((t) => t.bytes)];
}

export const f32Bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
