/**
 * The ids-only path of a tokenizer.json pipeline: what `encode()` returns (ids, which the
 * bench and every count use) without what only a trace or the panel reads — token
 * strings, bytes, offsets, a NormalizedString with two alignment arrays per piece, the
 * byte-symbol string of every piece:
 *
 *   added tokens split off → normalizer (as the full path) → pre-tokenizer `splitText`
 *   (piece texts only) → piece cache: text → ids | byte symbols → model → ids
 *   → the post-processor's fixed tokens around them (read off one stand-in token)
 *
 * Performance: a large text repeats its words, so most pieces cost one Map lookup on their
 * own text (the model's cache is keyed by the byte-symbol string, which a hit here never
 * builds); pieces up to 256 units are cached, 200k of them at most (then the cache starts
 * over, as the model's does). On Llama 3's file this is most of encode's time and garbage.
 * Where the pipeline does not allow it — no byte-level pre-tokenizer, one that rewrites
 * (no `splitText`), a post-processor whose template holds the sequence other than once,
 * pairs — encode() takes the full path; the ids are the same (tested on the real files
 * against Hugging Face tokenizers).
 */
import { wellFormed } from '../byteLevel';
import type { EncodeOptions, Token } from '../types';
import { splitOnAddedTokens } from './addedTokens';
import { byteSymbolText } from './byteSymbols';
import { NormalizedString } from './normalizedString';
import { PipelineTokenizer, type PipelineParts } from './pipelineTokenizer';

/** Pieces up to this many UTF-16 units have their ids cached. */
const CACHED_PIECE = 256;
/** Cached pieces at most; then the cache starts over. */
const CACHE_ENTRIES = 200_000;

/** The ids the post-processor puts before and after one sequence. */
interface Around { before: number[]; after: number[] }

export class IdsOnlyPath {
  private readonly cache = new Map<string, readonly number[]>();
  private readonly around = new Map<boolean, Around | null>();

  private constructor(private readonly parts: PipelineParts, private readonly splitText: (texts: string[]) => string[]) {}

  /**
   * The path for these stages, or undefined when the pre-tokenizer cannot give piece texts
   * alone or is not byte-level. Byte-level pipelines (Llama 3, Qwen3, GPT-2's) cut text into
   * words, which repeat; the others here (Llama 2, Gemma 3: no cut, or none left after the
   * normalizer) hand the model one long piece, which the full path's long-piece BPE serves
   * and a piece cache cannot.
   */
  static of(parts: PipelineParts): IdsOnlyPath | undefined {
    const pre = parts.preTokenizer;
    if (!pre?.splitText || !pre.byteLevel) return undefined;
    return new IdsOnlyPath(parts, (texts) => pre.splitText!(texts));
  }

  /**
   * The ids of one well-formed sequence, as the full path's encode gives them; undefined
   * when the post-processor's template is not "fixed tokens, the sequence, fixed tokens".
   */
  encode(text: string, matchSpecial: boolean, addSpecial: boolean): number[] | undefined {
    const around = this.template(addSpecial);
    if (!around) return undefined;
    const ids = [...around.before];
    for (const seg of splitOnAddedTokens(text, this.parts.addedTokens, matchSpecial)) {
      if (seg.added) { ids.push(seg.added.id); continue; }
      const normalized = this.parts.normalizer ? this.parts.normalizer.normalize(NormalizedString.from(seg.text, seg.start)).text : seg.text;
      for (const piece of this.splitText([normalized])) this.pieceIds(piece, ids);
    }
    for (const id of around.after) ids.push(id);
    return ids;
  }

  /** Append the model's ids for one piece (its text before any byte mapping). */
  private pieceIds(piece: string, out: number[]): void {
    if (piece.length === 0) return;
    const hit = this.cache.get(piece);
    if (hit) { for (let i = 0; i < hit.length; i++) out.push(hit[i]); return; }
    const tokens = this.parts.model.tokenize(byteSymbolText(piece)); // of() takes byte-level pre-tokenizers only
    const ids = tokens.map((t) => t.id);
    if (piece.length <= CACHED_PIECE) {
      if (this.cache.size >= CACHE_ENTRIES) this.cache.clear();
      this.cache.set(piece, ids);
    }
    for (let i = 0; i < ids.length; i++) out.push(ids[i]);
  }

  /** What the post-processor does around one stand-in token (id −1), when it holds it exactly once. */
  private template(addSpecial: boolean): Around | undefined {
    let t = this.around.get(addSpecial);
    if (t === undefined) {
      const post = this.parts.postProcessor;
      const standIn: Token = { id: -1, text: '', bytes: [], start: 0, end: 0, special: false };
      const out = post ? post.process([standIn], undefined, addSpecial, { a: '' }) : [standIn];
      const at = out.findIndex((x) => x.id === -1);
      t = at < 0 || out.some((x, i) => i !== at && x.id === -1) ? null : { before: out.slice(0, at).map((x) => x.id), after: out.slice(at + 1).map((x) => x.id) };
      this.around.set(addSpecial, t);
    }
    return t ?? undefined;
  }
}

/** A PipelineTokenizer whose encode() takes the ids-only path wherever the pipeline allows (loadTokenizerJson builds these). */
export class IdsFastPipelineTokenizer extends PipelineTokenizer {
  private readonly idsPath: IdsOnlyPath | undefined;

  constructor(parts: PipelineParts) {
    super(parts);
    this.idsPath = IdsOnlyPath.of(parts);
  }

  override encode(text: string, options?: EncodeOptions): number[] {
    if (this.idsPath && options?.pair === undefined) {
      const ids = this.idsPath.encode(wellFormed(text), (options?.specialTokens ?? this.defaultSpecialTokens) === 'match', options?.addSpecialTokens ?? true);
      if (ids) return ids;
    }
    return super.encode(text, options);
  }
}
