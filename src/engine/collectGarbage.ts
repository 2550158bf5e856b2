/**
 * A full garbage collection, asked for after loading a large file whose parsed JSON is
 * garbage once the tokenizer is built (Gemma 3's tokenizer.json: 180 MB of heap). V8
 * would collect it only once the heap had grown further, so whatever ran next (5 MB of
 * text) stacked its memory on top of the dead tree. Node has no public call for this; the
 * `--expose-gc` flag, set at run time, gives a new context V8's `gc` function. Where that
 * is refused, nothing happens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const f = runInNewContext('typeof gc === "function" ? gc : null') as (() => void) | null;
      gc = f;
    } catch { gc = null; }
  }
  gc?.();
}
