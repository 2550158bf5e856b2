/**
 * Open and read files the user named without hanging on what is not a file: a FIFO
 * blocks `open()` until a writer comes (forever, from a panel), and `/dev/zero` or
 * `/dev/urandom` never end. The file is opened non-blocking, its type is checked on the
 * open descriptor (no gap between the check and the read), and the size is capped
 * before anything is read.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { L10nError, phrase, type L10nText } from '../shared/l10nText';

/** Why `path` cannot be read as a file, e.g. `is a FIFO (named pipe), not a regular file`. */
export class NotAFileError extends L10nError {
  override name = 'NotAFileError';
}

function kindOf(st: import('node:fs').Stats): L10nText {
  if (st.isDirectory()) return phrase`a folder`;
  if (st.isFIFO()) return phrase`a FIFO (named pipe)`;
  if (st.isCharacterDevice()) return phrase`a character device`;
  if (st.isBlockDevice()) return phrase`a block device`;
  if (st.isSocket()) return phrase`a socket`;
  return phrase`not a regular file`;
}

/** What the file is, in the messages (`weights file`, `model config`, …). */
const FILE = phrase`file`;

/** A descriptor on a regular file (O_NONBLOCK, so a FIFO cannot stall the open), with its size. */
export function openRegularFile(path: string, what: L10nText = FILE): { fd: number; size: number } {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new NotAFileError(phrase`${what} ${path} is ${kindOf(st)}, not a regular file`);
    return { fd, size: st.size };
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** The bytes of a regular file of at most `maxBytes`; anything else is a named error. */
export function readRegularFile(path: string, maxBytes: number, what: L10nText = FILE): Buffer {
  const { fd, size } = openRegularFile(path, what);
  try {
    if (size > maxBytes) throw new NotAFileError(phrase`${what} ${path} is ${size} bytes, over the ${maxBytes}-byte limit`);
    // Read one byte more than the size: a file that grows while we read is cut at the cap, not read on.
    const buf = Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
    let got = 0;
    for (;;) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n <= 0) break;
      got += n;
      if (got === buf.length) {
        if (got > maxBytes) throw new NotAFileError(phrase`${what} ${path} grew past the ${maxBytes}-byte limit while being read`);
        break;
      }
    }
    return buf.subarray(0, Math.min(got, size));
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text (invalid bytes become U+FFFD, as `readFileSync(path, 'utf8')` does). */
export function readRegularTextFile(path: string, maxBytes: number, what: L10nText = FILE): string {
  return readRegularFile(path, maxBytes, what).toString('utf8');
}
