/**
 * Loads a Marian (opus-mt) tokenizer folder: `source.spm` and `target.spm` (SentencePiece
 * Unigram models), `vocab.json` (piece → model id, shared by both sides) and, optionally,
 * `tokenizer_config.json` (unk/eos/pad token text, `separate_vocabs` with
 * `target_vocab.json`). Everything is read and checked before the tokenizer is built, so
 * a bad file leaves nothing half-loaded; every error names the file and the problem.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NotAFileError, readRegularFile } from '../../regularFile';
import { MarianTokenizer, type MarianParts } from './marianTokenizer';
import { PieceType } from './modelProto';
import { SentencePieceProcessor } from './sentencePieceProcessor';
import { L10nError, phrase } from '../../../shared/l10nText';

/** A Marian folder that cannot be loaded; the message names the file at fault. */
export class MarianFolderError extends L10nError {
  override name = 'MarianFolderError';
}

/** SentencePiece models of real opus-mt checkpoints are ~0.8 MB; refuse anything absurd. */
const MAX_SPM_BYTES = 64 * 1024 * 1024;
const MAX_JSON_BYTES = 64 * 1024 * 1024;

/** Whether `folder` looks like the opus-mt layout (source.spm + vocab.json). */
export function isMarianFolder(folder: string): boolean {
  return existsSync(join(folder, 'source.spm')) && existsSync(join(folder, 'vocab.json'));
}

function read(folder: string, name: string, max: number): Buffer {
  const path = join(folder, name);
  if (!existsSync(path)) throw new MarianFolderError(phrase`${folder} has no ${name}: a Marian (opus-mt) tokenizer needs source.spm, target.spm and vocab.json`);
  try {
    return readRegularFile(path, max, phrase`tokenizer file`);
  } catch (e) {
    throw e instanceof NotAFileError ? new MarianFolderError(e.l10n) : e;
  }
}

function readVocab(folder: string, name: string): Map<string, number> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(read(folder, name, MAX_JSON_BYTES).toString('utf8'));
  } catch (e) {
    if (e instanceof MarianFolderError) throw e;
    throw new MarianFolderError(phrase`${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MarianFolderError(phrase`${name} is not a JSON object of piece → id`);
  const vocab = new Map<string, number>();
  for (const [piece, id] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) throw new MarianFolderError(phrase`${name}: the id of ${JSON.stringify(piece)} is ${JSON.stringify(id)}, not a non-negative integer`);
    vocab.set(piece, id);
  }
  return vocab;
}

interface MarianConfig { unk: string; eos: string; pad: string; separateVocabs: boolean }

function tokenText(v: unknown, fallback: string): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { content?: unknown }).content === 'string') return (v as { content: string }).content;
  return fallback;
}

function readConfig(folder: string): MarianConfig {
  const cfg: MarianConfig = { unk: '<unk>', eos: '</s>', pad: '<pad>', separateVocabs: false };
  if (!existsSync(join(folder, 'tokenizer_config.json'))) return cfg;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(read(folder, 'tokenizer_config.json', MAX_JSON_BYTES).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof MarianFolderError) throw e;
    throw new MarianFolderError(phrase`tokenizer_config.json is not valid JSON: ${(e as Error).message}`);
  }
  return { unk: tokenText(raw.unk_token, cfg.unk), eos: tokenText(raw.eos_token, cfg.eos), pad: tokenText(raw.pad_token, cfg.pad), separateVocabs: raw.separate_vocabs === true };
}

/** Ordinary pieces of `spm` that `vocab` lacks (they encode as <unk>). */
function missingPieces(spm: SentencePieceProcessor, vocab: Map<string, number>): string[] {
  return spm.model.pieces.filter((p) => (p.type === PieceType.Normal || p.type === PieceType.UserDefined) && !vocab.has(p.piece)).map((p) => p.piece);
}

export function loadMarianTokenizer(folder: string): MarianTokenizer {
  const config = readConfig(folder);
  const sourceBytes = read(folder, 'source.spm', MAX_SPM_BYTES);
  const targetBytes = read(folder, 'target.spm', MAX_SPM_BYTES);
  const vocab = readVocab(folder, 'vocab.json');
  const targetVocab = config.separateVocabs ? readVocab(folder, 'target_vocab.json') : undefined;
  const source = SentencePieceProcessor.fromBytes(sourceBytes, 'source.spm');
  const target = SentencePieceProcessor.fromBytes(targetBytes, 'target.spm');
  for (const [name, v] of [['vocab.json', vocab], ['target_vocab.json', targetVocab]] as const) {
    if (!v) continue;
    if (!v.has(config.unk)) throw new MarianFolderError(phrase`${name} has no ${config.unk} token (the unknown token every missing piece maps to)`);
    if (!v.has(config.eos)) throw new MarianFolderError(phrase`${name} has no ${config.eos} token (the end of sequence appended to every input)`);
  }
  const parts: MarianParts = {
    name: `${folder} (source.spm + target.spm + vocab.json)`,
    source, target, vocab, ...(targetVocab ? { targetVocab } : {}),
    unkToken: config.unk, eosToken: config.eos, padToken: config.pad,
    missing: { source: missingPieces(source, vocab), target: missingPieces(target, targetVocab ?? vocab) },
  };
  return new MarianTokenizer(parts);
}

/** One line per spm whose pieces vocab.json lacks, e.g. `vocab.json lacks 2 pieces of target.spm (▁la, é); they encode as <unk>`. */
export function marianWarnings(t: MarianTokenizer): string[] {
  const out: string[] = [];
  for (const side of ['source', 'target'] as const) {
    const m = t.parts.missing[side];
    if (m.length === 0) continue;
    const shown = m.slice(0, 5).join(', ') + (m.length > 5 ? ', …' : '');
    out.push(`${side === 'target' && t.parts.targetVocab ? 'target_vocab.json' : 'vocab.json'} lacks ${m.length} piece${m.length === 1 ? '' : 's'} of ${side}.spm (${shown}); they encode as ${t.parts.unkToken}, as MarianTokenizer does`);
  }
  return out;
}
