/**
 * Terminal rendering for the CLI: tokens on alternating coloured backgrounds (as the
 * panel colours them), with ANSI colour only on a TTY and never when NO_COLOR is set.
 */

const PALETTE = [153, 187, 224, 194, 225, 230, 189, 252]; // soft 256-colour backgrounds

export function useColor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** Show control characters and spaces visibly: `\n` → `↵`, tab → `→`. */
export function visible(s: string): string {
  return s.replace(/\n/g, '↵').replace(/\r/g, '␍').replace(/\t/g, '→').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
