/**
 * SentencePiece's precompiled normalization rules (NormalizerSpec.precompiled_charsmap):
 * `nmt_nfkc`, `nfkc`, … compiled into a darts-clone double-array trie over UTF-8 bytes
 * plus a blob of NUL-terminated replacement strings. Hugging Face tokenizers' `Precompiled`
 * normalizer reads the same blob. Layout (normalizer.cc, EncodePrecompiledCharsMap):
 *   <uint32 LE: trie size in bytes> <trie: uint32 LE units> <replacement strings>
 * A unit packs (darts-clone, darts.h `DoubleArrayUnit`):
 *   has_leaf = bit 8; value = bits 0–30; label = bits 0–7 plus bit 31 (so a leaf never
 *   matches a byte); offset = (unit >> 10) << ((unit & 1 << 9) >> 6).
 * Normalizing takes, at each position, the LONGEST key that prefixes the input and writes
 * its replacement; no key → the character is copied (a malformed byte → U+FFFD).
 */

export class CharsmapError extends Error {
  override name = 'CharsmapError';
}

export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly strings: Uint8Array;

  constructor(blob: Uint8Array) {
    if (blob.length <= 4) throw new CharsmapError(`precompiled_charsmap of ${blob.length} bytes is too short for its 4-byte trie size`);
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize >= blob.length - 4 + 1 || trieSize % 4 !== 0 || trieSize === 0) {
      throw new CharsmapError(`precompiled_charsmap declares a ${trieSize}-byte trie in a ${blob.length}-byte blob`);
    }
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + i * 4, true);
    this.strings = blob.subarray(4 + trieSize);
  }

  /**
   * The longest rule matching `bytes` from `pos` (not past `end`): its key length in
   * bytes and replacement, or undefined. Example (nmt_nfkc): "ﬁ" (ef ac 81) → length 3,
   * replacement "fi"; a tab → " ".
   */
  longestMatch(bytes: Uint8Array, pos: number, end: number): { length: number; replacement: Uint8Array } | undefined {
    const units = this.units;
    let node = 0;
    let unit = units[0];
    node = (node ^ offsetOf(unit)) >>> 0;
    let bestLength = 0;
    let bestValue = -1;
    for (let i = pos; i < end; i++) {
      const c = bytes[i];
      node = (node ^ c) >>> 0;
      if (node >= units.length) return this.result(bestLength, bestValue);
      unit = units[node];
      if ((unit & 0x800000ff) >>> 0 !== c) break;
      node = (node ^ offsetOf(unit)) >>> 0;
      if ((unit >>> 8) & 1) {
        if (node >= units.length) break;
        bestLength = i - pos + 1;
        bestValue = units[node] & 0x7fffffff;
      }
    }
    return this.result(bestLength, bestValue);
  }

  private result(length: number, value: number): { length: number; replacement: Uint8Array } | undefined {
    if (length === 0) return undefined;
    if (value >= this.strings.length) throw new CharsmapError(`precompiled_charsmap points at replacement ${value} past its ${this.strings.length}-byte string table`);
    let stop = value;
    while (stop < this.strings.length && this.strings[stop] !== 0) stop++;
    return { length, replacement: this.strings.subarray(value, stop) };
  }
}

function offsetOf(unit: number): number {
  return ((unit >>> 10) << ((unit & (1 << 9)) >>> 6)) >>> 0;
}
