/**
 * Decoders from Hugging Face tokenizers (`tokenizers/src/decoders/`): token strings back
 * to text. Each step maps a list of strings to a list of strings, as in `decode_chain`.
 */
import { decodeUtf8, UNICODE_TO_BYTE } from '../byteLevel';
import { flattenSequence } from './flattenSequence';
import { compilePattern, field, JsonObject, optionalBool, optionalString } from './json';

export type Decoder = (tokens: string[]) => string[];

/** WordPiece's `cleanup`: undo the spaces tokenization put before punctuation (`tokenizers` `decoders/wordpiece.rs`). */
export function cleanupSpaces(s: string): string {
  return s.replace(/ \./g, '.').replace(/ \?/g, '?').replace(/ !/g, '!').replace(/ ,/g, ',').replace(/ ' /g, "'")
    .replace(/ n't/g, "n't").replace(/ 'm/g, "'m").replace(/ do not/g, " don't").replace(/ 's/g, "'s").replace(/ 've/g, "'ve").replace(/ 're/g, "'re");
}

export function byteLevelDecode(tokens: string[]): string[] {
  const bytes: number[] = [];
  for (const t of tokens) for (const ch of t) {
    const b = UNICODE_TO_BYTE.get(ch);
    if (b !== undefined) bytes.push(b); else bytes.push(...new TextEncoder().encode(ch));
  }
  return [decodeUtf8(bytes)];
}

export function buildDecoder(json: JsonObject, path = 'decoder'): Decoder {
  const type = field(json, 'type', 'string', path);
  switch (type) {
    case 'ByteLevel': return byteLevelDecode;
    case 'WordPiece': {
      const prefix = optionalString(json, 'prefix', path) ?? '##';
      const cleanup = optionalBool(json, 'cleanup', true, path);
      // As tokenizers' decode_chain: cleanup runs on each token with its leading space, not on
      // the joined text, so `we ' ve` stays apart while ` .` → `.` (tokens `we`, `'`, `ve`, `.`).
      return (tokens) => tokens.map((t, i) => {
        const spaced = i > 0 ? (t.startsWith(prefix) ? t.slice(prefix.length) : ' ' + t) : t;
        return cleanup ? cleanupSpaces(spaced) : spaced;
      });
    }
    case 'Metaspace': {
      const replacement = optionalString(json, 'replacement', path) ?? '▁';
      const scheme = optionalString(json, 'prepend_scheme', path) ?? (json.add_prefix_space === false ? 'never' : 'always');
      return (tokens) => tokens.map((t, i) => {
        const s = t.split(replacement).join(' ');
        return i === 0 && scheme !== 'never' && s.startsWith(' ') ? s.slice(1) : s;
      });
    }
    case 'BPEDecoder': {
      const suffix = optionalString(json, 'suffix', path) ?? '</w>';
      return (tokens) => tokens.map((t, i) => t.split(suffix).join(i === tokens.length - 1 ? '' : ' '));
    }
    case 'ByteFallback': return (tokens) => {
      const out: string[] = [];
      let pending: number[] = [];
      const flush = () => { if (pending.length) { out.push(decodeUtf8(pending)); pending = []; } };
      for (const t of tokens) {
        const m = /^<0x([0-9A-Fa-f]{2})>$/.exec(t);
        if (m) pending.push(parseInt(m[1], 16)); else { flush(); out.push(t); }
      }
      flush();
      return out;
    };
    case 'Fuse': return (tokens) => [tokens.join('')];
    case 'Strip': {
      const content = field(json, 'content', 'string', path);
      const start = (json.start as number) ?? 0, stop = (json.stop as number) ?? 0;
      return (tokens) => tokens.map((t) => {
        let s = t;
        for (let i = 0; i < start && s.startsWith(content); i++) s = s.slice(content.length);
        for (let i = 0; i < stop && s.endsWith(content); i++) s = s.slice(0, s.length - content.length);
        return s;
      });
    }
    case 'Replace': {
      const re = compilePattern(json.pattern, `${path}.pattern`);
      const content = field(json, 'content', 'string', path);
      return (tokens) => tokens.map((t) => t.replace(re, content));
    }
    case 'Sequence': {
      // Nested Sequences are flattened without recursion (flattenSequence.ts).
      const list = flattenSequence(json, 'decoders', path).map((leaf) => buildDecoder(leaf.json, leaf.path));
      return (tokens) => list.reduce((ts, d) => d(ts), tokens);
    }
    default:
      throw new Error(`${path}.type: unsupported decoder "${type}"`);
  }
}
