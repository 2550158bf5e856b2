/**
 * The safetensors checkpoint format, read and validated before anything is allocated.
 *
 * Format (https://github.com/huggingface/safetensors, "Format"):
 *   [8 bytes]  N, unsigned 64-bit little-endian: the header's length
 *   [N bytes]  JSON: { "<name>": { "dtype": "F32", "shape": [..], "data_offsets": [begin, end] },
 *                      "__metadata__": { "<key>": "<string>" } }   (optional)
 *   [rest]     the data buffer; offsets are relative to its start, little-endian values.
 *
 * Checks, in the spirit of the reference implementation: the header is ≤ 100 MB and inside
 * the file; every tensor's bytes (shape × dtype size) equal its offset range; the ranges,
 * sorted, cover the data buffer exactly (contiguous, no overlap, no hole); names are unique
 * (JSON.parse would silently keep the last one, so the raw text is scanned); every number
 * is a safe integer; `__proto__` and friends are plain names (a Map, never an object).
 * Tensors are read one at a time with positioned reads, so a 500 MB file never sits in
 * memory next to its converted copy.
 */
import { closeSync, readSync } from 'node:fs';
import { NotAFileError, openRegularFile } from '../regularFile';
import { ModelError, modelError } from './modelError';
import { phrase } from '../../shared/l10nText';

export type DType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Readonly<Record<DType, number>> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export const MAX_HEADER_BYTES = 100 * 1000 * 1000;

export interface TensorInfo {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte range inside the data buffer. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  tensors: Map<string, TensorInfo>;
  metadata: Map<string, string>;
  /** Absolute file offset of the data buffer. */
  dataStart: number;
}

/** Where the bytes come from: a file (positioned reads) or memory (tests, downloads). */
export interface ByteSource {
  readonly size: number;
  read(into: Uint8Array, position: number): void;
  close(): void;
}

export function fileSource(path: string): ByteSource {
  let opened: { fd: number; size: number };
  try { opened = openRegularFile(path, phrase`weights file`); } catch (e) { throw e instanceof NotAFileError ? new ModelError(e.l10n) : e; }
  const { fd, size } = opened;
  return {
    size,
    read(into, position) {
      let done = 0;
      while (done < into.length) {
        const n = readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
        if (n <= 0) throw modelError`${path}: the file ended early (read ${position + done} of ${size} bytes)`;
        done += n;
      }
    },
    close() { closeSync(fd); },
  };
}

export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read(into, position) {
      if (position + into.length > bytes.length) throw modelError`read past the end of the buffer`;
      into.set(bytes.subarray(position, position + into.length));
    },
    close() { /* nothing to release */ },
  };
}

/** Read and validate the header. `label` names the file in error messages. */
export function readHeader(src: ByteSource, label: string): SafetensorsHeader {
  if (src.size < 8) throw modelError`${label}: not a safetensors file (${src.size} bytes, shorter than the 8-byte header length)`;
  const lenBytes = new Uint8Array(8);
  src.read(lenBytes, 0);
  const n = new DataView(lenBytes.buffer).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) throw modelError`${label}: header length ${n} is over the 100 MB limit (a corrupt or non-safetensors file)`;
  const headerLen = Number(n);
  if (8 + headerLen > src.size) throw modelError`${label}: header length ${headerLen} runs past the end of the file (${src.size} bytes)`;
  const headerBytes = new Uint8Array(headerLen);
  src.read(headerBytes, 8);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw modelError`${label}: the header is not valid UTF-8`;
  }
  return parseHeaderJson(text, 8 + headerLen, src.size - 8 - headerLen, label);
}

export function parseHeaderJson(text: string, dataStart: number, dataLength: number, label: string): SafetensorsHeader {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw modelError`${label}: the header is not valid JSON (${(e as Error).message})`;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw modelError`${label}: the header must be a JSON object`;
  const dup = firstDuplicateTopLevelKey(text);
  if (dup !== undefined) throw modelError`${label}: tensor name ${JSON.stringify(dup)} appears twice in the header`;

  const tensors = new Map<string, TensorInfo>();
  const metadata = new Map<string, string>();
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw modelError`${label}: __metadata__ must be an object of strings`;
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') throw modelError`${label}: __metadata__.${k} must be a string`;
        metadata.set(k, v);
      }
      continue;
    }
    tensors.set(name, parseTensorEntry(name, value, label));
  }

  // Sorted by offset, the ranges must tile the data buffer exactly.
  const sorted = [...tensors.values()].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const t of sorted) {
    if (t.begin < expected) throw modelError`${label}: tensor ${JSON.stringify(t.name)} overlaps the previous one (bytes ${t.begin}–${t.end}, previous ends at ${expected})`;
    if (t.begin > expected) throw modelError`${label}: a hole of ${t.begin - expected} bytes before tensor ${JSON.stringify(t.name)} (offsets must be contiguous)`;
    expected = t.end;
  }
  if (expected !== dataLength) {
    throw expected > dataLength
      ? modelError`${label}: tensor data runs past the end of the file (needs ${expected} bytes, the data buffer has ${dataLength})`
      : modelError`${label}: ${dataLength - expected} bytes after the last tensor are not described by the header`;
  }
  return { tensors, metadata, dataStart };
}

function parseTensorEntry(name: string, value: unknown, label: string): TensorInfo {
  const where = `${label}: tensor ${JSON.stringify(name)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw modelError`${where} must be an object with dtype, shape and data_offsets`;
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(DTYPE_BYTES, dtype)) {
    throw modelError`${where} has unknown dtype ${JSON.stringify(dtype)} (readable: ${Object.keys(DTYPE_BYTES).join(', ')})`;
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw modelError`${where} has an invalid shape ${JSON.stringify(shape)} (non-negative integers expected)`;
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && (o as number) >= 0)) {
    throw modelError`${where} has invalid data_offsets ${JSON.stringify(offsets)} (two non-negative safe integers expected)`;
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw modelError`${where} has data_offsets that end before they begin (${begin}, ${end})`;
  let elements = 1;
  for (const d of shape as number[]) {
    elements *= d;
    if (!Number.isSafeInteger(elements)) throw modelError`${where} has a shape too large to address (${JSON.stringify(shape)})`;
  }
  const bytes = elements * DTYPE_BYTES[dtype as DType];
  if (!Number.isSafeInteger(bytes) || bytes !== end - begin) {
    throw modelError`${where}: shape ${JSON.stringify(shape)} × ${dtype} is ${bytes} bytes but data_offsets span ${end - begin}`;
  }
  return { name, dtype: dtype as DType, shape: shape as number[], begin, end };
}

/**
 * The first key that appears twice at the top level of a JSON object text, if any.
 * A small scanner: tracks nesting depth and skips string contents.
 */
export function firstDuplicateTopLevelKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1;
    } else if (c === '}' || c === ']') depth--;
    else if (c === ',' && depth === 1) expectKey = true;
  }
  return undefined;
}

/** Elements in a tensor. */
export const numel = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

/**
 * Read a floating-point tensor as float32 into `into` (allocated when absent). F16 and
 * BF16 widen exactly (every half and bfloat16 value is a float32); F64 rounds.
 */
export function readFloat32(src: ByteSource, header: SafetensorsHeader, t: TensorInfo, into?: Float32Array): Float32Array {
  const n = numel(t);
  const out = into ?? new Float32Array(n);
  if (out.length !== n) throw modelError`tensor ${t.name}: destination holds ${out.length} values, the tensor ${n}`;
  const at = header.dataStart + t.begin;
  switch (t.dtype) {
    case 'F32':
      src.read(new Uint8Array(out.buffer, out.byteOffset, n * 4), at);
      return out;
    case 'F16':
    case 'BF16': {
      const CHUNK = 1 << 20;
      const raw = new Uint16Array(Math.min(n, CHUNK));
      for (let i = 0; i < n; i += CHUNK) {
        const m = Math.min(CHUNK, n - i);
        const view = raw.subarray(0, m);
        src.read(new Uint8Array(view.buffer, 0, m * 2), at + i * 2);
        if (t.dtype === 'F16') for (let j = 0; j < m; j++) out[i + j] = halfToFloat(view[j]);
        else {
          const bits = new Uint32Array(out.buffer, out.byteOffset + i * 4, m);
          for (let j = 0; j < m; j++) bits[j] = view[j] << 16;
        }
      }
      return out;
    }
    case 'F64': {
      const raw = new Float64Array(n);
      src.read(new Uint8Array(raw.buffer), at);
      out.set(raw);
      return out;
    }
    default:
      throw modelError`tensor ${t.name} is ${t.dtype}; a floating-point tensor (F32, F16, BF16, F64) is needed here`;
  }
}

/** Read an integer or boolean tensor (I64 as BigInt64Array). */
export function readInteger(src: ByteSource, header: SafetensorsHeader, t: TensorInfo): Int8Array | Uint8Array | Int16Array | Int32Array | BigInt64Array {
  const n = numel(t);
  const bytes = new Uint8Array(t.end - t.begin);
  src.read(bytes, header.dataStart + t.begin);
  switch (t.dtype) {
    case 'I8': return new Int8Array(bytes.buffer, 0, n);
    case 'U8': case 'BOOL': return bytes;
    case 'I16': return new Int16Array(bytes.buffer, 0, n);
    case 'I32': return new Int32Array(bytes.buffer, 0, n);
    case 'I64': return new BigInt64Array(bytes.buffer, 0, n);
    default: throw modelError`tensor ${t.name} is ${t.dtype}, not an integer tensor`;
  }
}

/** IEEE 754 binary16 → number (exact). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
