/**
 * The Trace view's pipeline stages in Chinese: real tokenizers (tiktoken's gpt2 and
 * cl100k_base, Hugging Face tokenizer.json fixtures, Marian's SentencePiece) mark their prose
 * stage names and notes with a code (src/shared/stageCodes.ts); the webview's English for
 * each code is the engine's own text (what the CLI prints), and the zh-CN bundle gives a
 * Chinese one; component names without a code pass through unchanged.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveTokenizer } from '../../src/engine/tokenizers/resolve';
import type { StageTrace } from '../../src/engine/tokenizers/types';
import { setBundle } from '../../webview/l10n';
import { stageDetail, stageLabel, stageName } from '../../webview/views/stageText';
import { HF_FIXTURES } from '../engine/fixtures';

const zh = JSON.parse(readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const cjk = /[\u4e00-\u9fff]/;
const TOKENIZERS = ['gpt2', 'cl100k_base', 'bert-base-uncased', join(HF_FIXTURES, 'tokenizers', 'gpt2', 'tokenizer.json'),
  join(HF_FIXTURES, 'models', 't5-tiny', 'tokenizer.json'), join(HF_FIXTURES, 'models', 'marian-tiny')];

function stages(): StageTrace[] {
  return TOKENIZERS.flatMap((name) => [true, false].flatMap((add) => resolveTokenizer(name).encodeWithTrace('Hi there, 好', { addSpecialTokens: add }).stages));
}

describe('panel: pipeline stages in the display language', () => {
  afterEach(() => setBundle({}));

  it('real tokenizers mark their prose names and notes with codes', () => {
    const all = stages();
    for (const s of all) if (s.name === 'none') assert.equal(s.nameCode, 'none', `${s.stage}: "none" has its code`);
    const codes = new Set(all.flatMap((s) => [s.nameCode, s.detailCode]).filter((c) => c));
    for (const c of ['none', 'regex-split', 'byte-level-bpe', 'tiktoken-no-normalize', 'tiktoken-rank-is-id', 'special-tokens-not-added']) assert.ok(codes.has(c as never), `some tokenizer says ${c}`);
  });

  it('in English the panel says what the engine (and the CLI) says', () => {
    setBundle({});
    for (const s of stages()) {
      assert.equal(stageName(s), s.name);
      assert.equal(stageDetail(s), s.detail);
      assert.equal(stageLabel(s.stage), s.stage);
    }
  });

  it('in Chinese every stage and every coded name and note is translated; component names stay', () => {
    setBundle(zh);
    for (const s of stages()) {
      assert.match(stageLabel(s.stage), cjk, s.stage);
      if (s.nameCode) assert.match(stageName(s), cjk, s.name); else assert.equal(stageName(s), s.name);
      if (s.detailCode) assert.match(stageDetail(s)!, cjk, s.detail);
    }
  });
});
