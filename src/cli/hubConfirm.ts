/**
 * The CLI's side of large Hub downloads: before more than 1 GB is fetched, the estimate
 * (download size, parameters, memory as float32, this machine's memory) goes to stderr; then
 * `--yes` goes ahead, a terminal is asked "[y/N]", and without a terminal on stdin (a script,
 * CI) the command stops with exit 2 and says to pass --yes. Nothing of the weights is fetched
 * before the answer.
 */
import { createInterface } from 'node:readline';
import { describeEstimate, gb, type DownloadEstimate } from '../engine/hub/downloadEstimate';
import { UsageError, type ParsedArgs } from './args';

export interface PromptStreams { input: NodeJS.ReadableStream & { isTTY?: boolean }; err: NodeJS.WritableStream }

export function confirmLargeDownload(args: ParsedArgs, streams: PromptStreams): (e: DownloadEstimate) => Promise<boolean> {
  return async (e) => {
    streams.err.write(`trace: ${describeEstimate(e)}\n`);
    if (args.options.has('yes')) return true;
    if (!streams.input.isTTY) {
      throw new UsageError(`${e.id} is a ${gb(e.downloadBytes)} GB download: run again with --yes to download it (stdin is not a terminal, so there is no one to ask)`, false);
    }
    const rl = createInterface({ input: streams.input, output: streams.err });
    try {
      const answer = await new Promise<string>((resolve) => {
        rl.question(`Download ${gb(e.downloadBytes)} GB? [y/N] `, resolve);
        rl.once('close', () => resolve(''));
      });
      return /^\s*y(es)?\s*$/i.test(answer);
    } finally {
      rl.close();
    }
  };
}
