/**
 * Terminal rendering for the CLI: tokens on alternating coloured backgrounds (as the
 * panel colours them), with ANSI colour only on a TTY and never when NO_COLOR is set;
 * token text with visible whitespace (src/shared/visibleText.ts) and its legend.
 */
import { UNICODE_TO_BYTE } from '../engine/tokenizers/byteLevel';
import { decodeUtf8Marked, markWhitespace, WHITESPACE_LEGEND } from '../shared/visibleText';

const PALETTE = [153, 187, 224, 194, 225, 230, 189, 252]; // soft 256-colour backgrounds

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/**
 * A vocabulary entry as a person reads it, for lists where there is no input text to
 * point at (predictions, attention labels): byte-level spellings are decoded to their
 * bytes (`Ġmoon` → `␣moon`, `Ċ` → `⏎`), SentencePiece's `▁` is the space it stands for,
 * other spellings (`##ing`, `[MASK]`) stay as they are; whitespace is then marked.
 */
export function readableEntry(spelling: string, byteLevel: boolean): string {
  if (byteLevel) {
    const bytes: number[] = [];
    for (const ch of spelling) {
      const b = UNICODE_TO_BYTE.get(ch);
      if (b === undefined) return markWhitespace(spelling); // an added token spelled in plain text
      bytes.push(b);
    }
    return markWhitespace(decodeUtf8Marked(bytes));
  }
  return markWhitespace(spelling.replace(/\u2581/g, ' '));
}

/** The legend for ␣ ⏎ → and the vocabulary's stand-ins (Ġ, Ċ, ▁, ##), in English then Chinese. */
export function legend(color: boolean): string {
  return (WHITESPACE_LEGEND.en + WHITESPACE_LEGEND['zh-cn']).split('\n').filter(Boolean).map((line) => `${dim(line, color)}\n`).join('');
}

export function colourToken(text: string, index: number, color: boolean): string {
  if (!color) return `[${text}]`;
  return `\x1b[48;5;${PALETTE[index % PALETTE.length]}m\x1b[38;5;16m${text}\x1b[0m`;
}

export function bold(s: string, color: boolean): string {
  return color ? `\x1b[1m${s}\x1b[0m` : s;
}

export function dim(s: string, color: boolean): string {
  return color ? `\x1b[2m${s}\x1b[0m` : s;
}
