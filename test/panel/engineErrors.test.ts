/**
 * Engine errors the panel shows, in Chinese: the real engine (the bundled models, the
 * worker's handlers) throws each coded error on the input that causes it — no tokens, too
 * long an input for the model, the logit lens on BERT and on an encoder–decoder, one
 * token's loss, a selection over 16 MiB, an unknown model — and the notices (the input cut,
 * the panel's attention budget, the generic ChatML markers) and the model line, with the
 * arguments the panel's text needs, and the zh-CN bundle translates every code's text with the same placeholders.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveModelPath } from '../../src/engine/model/bundledModels';
import { loadModel, runModel } from '../../src/engine/model/loadModel';
import { handle } from '../../src/engine/worker/handlers';
import { MAX_SELECTION_CHARS } from '../../src/shared/engineProtocol';
import { errorCode, PANEL_ERROR_TEXT, type CodedError, type EngineErrorCode } from '../../src/shared/engineErrors';
import { setBundle, t } from '../../webview/l10n';

const zh = JSON.parse(readFileSync(join(__dirname, '..', '..', 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(' ');

/** The code the engine attached to what `run` threw. */
function thrown(run: () => unknown): CodedError {
  try { run(); } catch (e) { const c = errorCode(e); assert.ok(c, `a coded error: ${(e as Error).message}`); return c; }
  assert.fail('no error thrown');
}

describe('panel: engine errors in the display language', () => {
  afterEach(() => setBundle({}));

  const cases: [EngineErrorCode, () => CodedError, (string | number)[]][] = [
    ['no-tokens', () => thrown(() => handle({ kind: 'attention', model: resolveModelPath('tiny-gpt'), ids: [], record: 'weights' })), []],
    // the panel's own requests cut the input to the model's positions; a forward pass over more refuses
    ['too-many-positions', () => thrown(() => runModel(loadModel(resolveModelPath('tiny-gpt')), { ids: Array(300).fill(1) })), [300, 256]],
    ['needs-causal-lm-masked', () => thrown(() => handle({ kind: 'lens', model: resolveModelPath('tiny-bert'), text: 'the cat sat' })), ['logit lens']],
    ['needs-causal-lm-seq2seq', () => thrown(() => handle({ kind: 'lens', model: resolveModelPath('tiny-translator'), text: 'the cat sat' })), ['logit lens']],
    ['one-token-no-loss', () => {
      const a = handle({ kind: 'lens', model: resolveModelPath('tiny-gpt'), text: '' }); // <|endoftext|> alone
      assert.equal(a.loss, undefined);
      assert.ok(a.lossProblem && a.lossProblemCoded, 'the lens runs, the loss says why it is missing');
      return a.lossProblemCoded;
    }, []],
    ['selection-too-large', () => thrown(() => handle({ kind: 'count', tokenizer: 'gpt2', text: 'a'.repeat(MAX_SELECTION_CHARS + 1), special: 'default' })), [(MAX_SELECTION_CHARS + 1).toLocaleString('en-US'), MAX_SELECTION_CHARS.toLocaleString('en-US')]],
    ['unknown-model', () => thrown(() => resolveModelPath('no-such-model-here')), ['no-such-model-here', 'tiny-gpt, tiny-bert, tiny-translator']],
  ];

  for (const [code, run, args] of cases) {
    it(`${code}: thrown by the engine with its arguments, translated with the same placeholders`, function () {
      this.timeout(60_000);
      const c = run();
      assert.equal(c.code, code);
      assert.deepEqual(c.args, args);
      const en = PANEL_ERROR_TEXT[code];
      assert.equal((en.match(/\{\d+\}/g) ?? []).length, new Set(en.match(/\{\d+\}/g)).size);
      assert.equal(new Set(en.match(/\{\d+\}/g)).size, args.length, 'one placeholder an argument');
      assert.ok(zh[en], `“${en.slice(0, 40)}” has a translation`);
      assert.equal(placeholders(zh[en]), placeholders(en));
      setBundle(zh);
      const shown = t(en, ...c.args);
      assert.match(shown, /[\u4e00-\u9fff]/);
      for (const a of c.args) assert.ok(shown.includes(String(a)), `${a} is in the message`);
    });
  }

  it('notices and the model line: coded beside the engine\'s English, which the panel\'s English text reproduces', function () {
    this.timeout(60_000);
    const model = resolveModelPath('tiny-gpt');
    const long = handle({ kind: 'attention', model, ids: Array(300).fill(1), record: 'weights' });
    // room for 10 × 10 weights a head: the panel shows the first 10 of 40 tokens
    const capped = handle({ kind: 'attention', model, ids: Array(40).fill(1), record: 'weights', maxAttentionFloats: 10 * 10 * long.layers * long.heads });
    const lens = handle({ kind: 'lens', model, text: 'word '.repeat(400) });
    const cases: [string | undefined, CodedError[] | undefined, EngineErrorCode[]][] = [
      [long.notice, long.noticeCoded, ['input-cut-to-positions']],
      [capped.notice, capped.noticeCoded, ['panel-shows-first']],
      [lens.lens.notice, lens.lens.noticeCoded, ['input-cut-to-positions']],
      [long.description, long.descriptionCoded && [long.descriptionCoded], ['model-shape']],
    ];
    for (const [english, coded, codes] of cases) {
      assert.ok(english && coded, 'a notice and its codes');
      assert.deepEqual(coded.map((c) => c.code), codes);
      setBundle({});
      assert.equal(coded.map((c) => t(PANEL_ERROR_TEXT[c.code], ...c.args)).join(' '), english, 'the panel\'s English is the engine\'s');
      setBundle(zh);
      for (const c of coded) {
        assert.equal(placeholders(zh[PANEL_ERROR_TEXT[c.code]]), placeholders(PANEL_ERROR_TEXT[c.code]));
        assert.match(t(PANEL_ERROR_TEXT[c.code], ...c.args), /[\u4e00-\u9fff]/);
      }
    }
    assert.deepEqual(capped.noticeCoded![0].args.slice(0, 2), [10, 40]);
  });

  it('the chat view\'s notice: the generic ChatML markers are plain text to GPT-2, coded with the tokenizer\'s name', () => {
    const r = handle({ kind: 'chat', tokenizer: 'gpt2', messages: [{ role: 'user', content: 'hi' }], addGenerationPrompt: true, genericTemplate: true });
    assert.ok(r.notice, 'a notice');
    assert.equal(r.noticeCoded?.code, 'chatml-not-tokens');
    setBundle(zh);
    const shown = t(PANEL_ERROR_TEXT['chatml-not-tokens'], ...r.noticeCoded!.args);
    assert.match(shown, /[\u4e00-\u9fff]/);
    assert.ok(shown.includes(String(r.noticeCoded!.args[0])) && shown.includes('<|im_start|>'));
  });

  it('every code has a panel text and a Chinese one; the analyses it names are translated', () => {
    for (const en of Object.values(PANEL_ERROR_TEXT)) assert.match(zh[en] ?? '', /[\u4e00-\u9fff]/, en);
    for (const what of ['logit lens', 'per-token loss']) assert.match(zh[what] ?? '', /[\u4e00-\u9fff]/, what);
  });

  it('a code that is not one of ours is not trusted', () => {
    assert.equal(errorCode(Object.assign(new Error('x'), { coded: { code: 'made-up', args: [] } })), undefined);
    assert.equal(errorCode(Object.assign(new Error('x'), { coded: { code: 'no-tokens', args: [{}] } })), undefined);
    assert.equal(errorCode(new Error('plain')), undefined);
  });
});
