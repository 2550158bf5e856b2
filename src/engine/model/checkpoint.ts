/**
 * A checkpoint folder as Hugging Face lays it out: `config.json` plus either
 * `model.safetensors` or a sharded `model.safetensors.index.json` (`weight_map`: tensor
 * name → shard file in the same folder). Pickle checkpoints (`pytorch_model.bin`, `.pt`,
 * `.pth`, `.ckpt`) are refused without being opened: unpickling runs arbitrary code.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ModelError, modelError } from './modelError';
import { NotAFileError, readRegularTextFile } from '../regularFile';
import { fileSource, readFloat32, readHeader, type ByteSource, type SafetensorsHeader, type TensorInfo } from './safetensors';
import { phrase } from '../../shared/l10nText';

const PICKLE = /\.(bin|pt|pth|ckpt|pkl)$/i;
const MAX_CONFIG_BYTES = 10 * 1024 * 1024;

export interface Checkpoint {
  readonly folder: string;
  readonly configJson: unknown;
  names(): string[];
  info(name: string): TensorInfo | undefined;
  /** Read a float tensor as float32 (into `into` when given). */
  readF32(name: string, into?: Float32Array): Float32Array;
  close(): void;
}

interface Shard { src: ByteSource; header: SafetensorsHeader; file: string }

function pickleError(file: string): ModelError {
  return modelError`${file} is a PyTorch pickle checkpoint: unsupported, use a safetensors file (model.safetensors). Pickle files can run code when loaded, so they are never parsed.`;
}

/** The folder and weight files behind a path: a folder, a `.safetensors` file or an index. */
export function locateCheckpoint(pathLike: string): { folder: string; files: string[]; index?: Record<string, string> } {
  const path = resolve(pathLike);
  if (!existsSync(path)) throw modelError`no such file or folder: ${path}`;
  if (statSync(path).isFile()) {
    if (PICKLE.test(path)) throw pickleError(path);
    if (path.endsWith('.index.json')) return fromIndex(dirname(path), path);
    if (path.endsWith('.safetensors')) return { folder: dirname(path), files: [path] };
    throw modelError`${path}: expected a model folder, a .safetensors file or a model.safetensors.index.json`;
  }
  const single = join(path, 'model.safetensors');
  if (existsSync(single)) return { folder: path, files: [single] };
  const index = join(path, 'model.safetensors.index.json');
  if (existsSync(index)) return fromIndex(path, index);
  for (const p of ['pytorch_model.bin', 'model.pt', 'pytorch_model.bin.index.json']) if (existsSync(join(path, p))) throw pickleError(join(path, p));
  throw modelError`${path} holds no model.safetensors (nor a model.safetensors.index.json)`;
}

function fromIndex(folder: string, indexPath: string): { folder: string; files: string[]; index: Record<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(readRegularTextFile(indexPath, MAX_CONFIG_BYTES, phrase`checkpoint index`));
  } catch (e) {
    if (e instanceof NotAFileError) throw new ModelError(e.l10n);
    throw modelError`${indexPath}: not valid JSON (${(e as Error).message})`;
  }
  const map = (json as { weight_map?: unknown } | null)?.weight_map;
  if (typeof map !== 'object' || map === null || Array.isArray(map)) throw modelError`${indexPath}: no "weight_map" object`;
  const index: Record<string, string> = Object.create(null) as Record<string, string>;
  const files = new Set<string>();
  for (const [name, file] of Object.entries(map as Record<string, unknown>)) {
    if (typeof file !== 'string' || file !== basename(file) || file === '..' || file === '.' || file.includes('\\')) {
      throw modelError`${indexPath}: shard ${JSON.stringify(file)} for ${JSON.stringify(name)} must be a plain file name in the same folder`;
    }
    if (PICKLE.test(file)) throw pickleError(join(folder, file));
    index[name] = file;
    files.add(join(folder, file));
  }
  for (const f of files) if (!existsSync(f)) throw modelError`${indexPath} names the shard ${basename(f)}, which is missing`;
  return { folder, files: [...files], index };
}

export function readConfigJson(folder: string): unknown {
  const path = join(folder, 'config.json');
  if (!existsSync(path)) throw modelError`${folder} has no config.json (it says which architecture the weights belong to)`;
  try {
    return JSON.parse(readRegularTextFile(path, MAX_CONFIG_BYTES, phrase`model config`));
  } catch (e) {
    if (e instanceof NotAFileError) throw new ModelError(e.l10n);
    throw modelError`${path}: not valid JSON (${(e as Error).message})`;
  }
}

export function openCheckpoint(pathLike: string): Checkpoint {
  const loc = locateCheckpoint(pathLike);
  const configJson = readConfigJson(loc.folder);
  const shards: Shard[] = [];
  const byName = new Map<string, Shard>();
  try {
    for (const file of loc.files) {
      const src = fileSource(file);
      shards.push({ src, header: readHeader(src, basename(file)), file });
    }
  } catch (e) {
    for (const s of shards) s.src.close();
    throw e;
  }
  for (const shard of shards) {
    for (const name of shard.header.tensors.keys()) {
      if (byName.has(name)) throw modelError`tensor ${JSON.stringify(name)} is in both ${basename(byName.get(name)!.file)} and ${basename(shard.file)}`;
      byName.set(name, shard);
    }
  }
  if (loc.index) {
    for (const [name, file] of Object.entries(loc.index)) {
      if (byName.get(name) && basename(byName.get(name)!.file) !== file) throw modelError`the index puts ${name} in ${file}, but it is in ${basename(byName.get(name)!.file)}`;
    }
  }
  return {
    folder: loc.folder,
    configJson,
    names: () => [...byName.keys()],
    info: (name) => byName.get(name)?.header.tensors.get(name),
    readF32(name, into) {
      const shard = byName.get(name);
      if (!shard) throw modelError`the checkpoint has no tensor ${name}`;
      return checkFinite(name, readFloat32(shard.src, shard.header, shard.header.tensors.get(name)!, into));
    },
    close() { for (const s of shards) s.src.close(); },
  };
}

/**
 * A NaN or ±Infinity weight turns every output it touches into NaN (the panel would show
 * blank cells, `--json` nulls), so a tensor holding one is refused when it is read, by name:
 * `tensor h.0.attn.c_attn.weight holds NaN at index 17 of 2304`. One pass over values just read.
 */
export function checkFinite(name: string, values: Float32Array): Float32Array {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v - v !== 0) { // false only for NaN and ±Infinity
      throw modelError`tensor ${name} holds ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Infinity' : '-Infinity'} at index ${i} of ${values.length}: the checkpoint is corrupt or was saved after training diverged`;
    }
  }
  return values;
}
