/**
 * "Continue this prompt": the job behind the CLI's `generate` command (and, later, the
 * panel's Generate view). Loads the model and its tokenizer as the attention job does,
 * reads the stop ids from generation_config.json / config.json (`eos_token_id`), runs
 * generate() and names each new token.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prepare, type AttentionJob } from './attentionJob';
import { generate, type GenerateOptions, type GenerationResult } from './generate';

export interface GenerateJob extends Pick<AttentionJob, 'model' | 'text' | 'ids' | 'kernels' | 'onLoadProgress'>, Omit<GenerateOptions, 'eosIds' | 'decode'> {
  /** Ids that end generation; default: the model's eos_token_id. [] never stops early. */
  eosIds?: number[];
  /** The continuation's new text after each step (held back while it ends inside a UTF-8 character). */
  onText?: (delta: string) => void;
  /** Called once the model is loaded, before the first step. */
  onStart?: (info: { model: string; seq2seq: boolean }) => void;
}

export interface GenerateReport extends GenerationResult {
  model: string;
  /** An encoder–decoder: the prompt was the source and `text` is its translation (or summary), not a continuation. */
  seq2seq: boolean;
  promptTokens: { id: number; text: string }[];
  /** The continuation decoded to text, and each new token's own text. */
  text: string;
  tokenTexts: string[];
  eosIds: number[];
  loadMs: number;
  /** A vocabulary entry's spelling. */
  tokenText(id: number): string | undefined;
  byteLevel: boolean;
}

/** eos_token_id of generation_config.json, else config.json: a number or a list. */
export function modelEosIds(folder: string): number[] {
  for (const file of ['generation_config.json', 'config.json']) {
    const path = join(folder, file);
    if (!existsSync(path)) continue;
    try {
      const v = (JSON.parse(readFileSync(path, 'utf8')) as { eos_token_id?: unknown }).eos_token_id;
      if (typeof v === 'number' && Number.isInteger(v)) return [v];
      if (Array.isArray(v)) return v.filter((x): x is number => typeof x === 'number' && Number.isInteger(x));
    } catch { /* an unreadable file gives no stop id */ }
  }
  return [];
}

export function runGenerateJob(job: GenerateJob): GenerateReport {
  const { entry, load, tokens } = prepare(job);
  const model = entry.model;
  const tok = entry.tokenizer?.tokenizer;
  const promptIds = tokens.map((t) => t.id);
  // the continuation as it reads after the prompt: decode(prompt + new) minus decode(prompt), so a
  // leading space that a decoder strips at the start of a text (SentencePiece's ▁) is kept
  // (an encoder–decoder's output is a text of its own: decoded alone)
  const seq2seq = model.config.head === 'seq2seq';
  const base = tok && !seq2seq ? tok.decode(promptIds) : '';
  const decode = tok ? (ids: number[]) => {
    if (seq2seq) return tok.decode(ids);
    const all = tok.decode([...promptIds, ...ids]);
    return all.startsWith(base) ? all.slice(base.length) : tok.decode(ids);
  } : undefined;
  const eosIds = job.eosIds ?? modelEosIds(model.folder);
  const newIds: number[] = [];
  let emitted = '';
  const onStep: GenerateOptions['onStep'] = (step) => {
    job.onStep?.(step);
    newIds.push(step.id);
    if (!job.onText || eosIds.includes(step.id)) return; // the stop token is not part of the text
    const now = decode ? decode(newIds) : newIds.map((id) => `#${id}`).join(' ');
    if (now.endsWith('\uFFFD') || !now.startsWith(emitted)) return;
    job.onText(now.slice(emitted.length));
    emitted = now;
  };
  job.onStart?.({ model: model.name, seq2seq });
  const r = generate(model, promptIds, { ...job, eosIds, decode, onStep });
  // the text ends before the EOS that stopped it (the ids keep it): "Je t'aime", not "Je t'aime </s>"
  const shownIds = r.stoppedBy === 'eos' ? r.newIds.slice(0, -1) : r.newIds;
  const text = decode ? decode(shownIds) : shownIds.map((id) => `#${id}`).join(' ');
  if (job.onText && text.length > emitted.length && text.startsWith(emitted)) job.onText(text.slice(emitted.length));
  return {
    ...r, model: model.name, seq2seq, promptTokens: tokens.map((t) => ({ id: t.id, text: t.text })), text, eosIds, loadMs: load,
    tokenTexts: r.newIds.map((id) => (tok ? tok.decode([id]) : `#${id}`)),
    tokenText: (id) => tok?.idToToken(id), byteLevel: tok?.kind === 'byte-bpe',
  };
}
