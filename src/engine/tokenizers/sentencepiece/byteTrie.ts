/**
 * A trie over UTF-8 bytes: the piece vocabulary the Unigram lattice walks (every piece
 * that starts at a position, shortest first, as sentencepiece's darts trie yields them)
 * and the user-defined symbols the normalizer must leave whole.
 */

interface TrieNode { next: Map<number, TrieNode>; value: number }

export class ByteTrie {
  private readonly root: TrieNode = { next: new Map(), value: -1 };
  private size = 0;

  get isEmpty(): boolean { return this.size === 0; }

  /** Adds `key` with `value` (≥ 0); a later insert of the same key keeps the first value. */
  insert(key: Uint8Array, value: number): void {
    let node = this.root;
    for (const b of key) {
      let child = node.next.get(b);
      if (!child) { child = { next: new Map(), value: -1 }; node.next.set(b, child); }
      node = child;
    }
    if (node.value < 0) { node.value = value; this.size++; }
  }

  /**
   * Calls `visit(length, value)` for every key that prefixes `bytes[pos, end)`, shortest
   * first. Example: keys "▁", "▁t", "▁the" and input "▁the" → lengths 3, 4, 6 (bytes).
   */
  prefixes(bytes: Uint8Array, pos: number, end: number, visit: (length: number, value: number) => void): void {
    let node: TrieNode | undefined = this.root;
    for (let i = pos; i < end; i++) {
      node = node.next.get(bytes[i]);
      if (!node) return;
      if (node.value >= 0) visit(i - pos + 1, node.value);
    }
  }

  /** The length in bytes of the longest key prefixing `bytes[pos, end)`, 0 if none. */
  longestPrefix(bytes: Uint8Array, pos: number, end: number): number {
    let longest = 0;
    this.prefixes(bytes, pos, end, (length) => { longest = length; });
    return longest;
  }
}
