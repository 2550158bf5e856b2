/**
 * Engine errors in the display language: every ModelError (and the file, tokenizer and Hub
 * errors it wraps) is built from a phrase`…` / modelError`…` template, never a plain string
 * (tools/l10n-engine-texts.mjs walks src/engine and src/shared), and each template has a
 * zh-CN entry with the same placeholders. The English message, what the CLI prints, is the
 * template literal's text unchanged. A real checkpoint with a tensor of the wrong shape,
 * built here, reaches the panel's words in Chinese through the worker thread, the host's
 * EngineClient and the text the host posts (panelErrorText, with @vscode/l10n's t standing
 * in for vscode.l10n.t: both format `{n}` the same way).
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { EngineClient } from '../../../src/host/engineClient';
import { loadModel } from '../../../src/engine/model/loadModel';
import { ModelError, modelError } from '../../../src/engine/model/modelError';
import { memorySource, readHeader } from '../../../src/engine/model/safetensors';
import { encodeSafetensors } from '../../../src/engine/model/safetensorsWrite';
import { englishOf, errorL10nText, phrase, translateText } from '../../../src/shared/l10nText';
import { panelErrorText } from '../../../src/shared/panelErrorText';
import { setBundle, t } from '../../../webview/l10n';
import { HF_FIXTURES } from '../fixtures';

const root = resolve(__dirname, '..', '..', '..');
const zh = JSON.parse(readFileSync(join(root, 'l10n', 'bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
const placeholders = (s: string) => (s.match(/\{\d+\}/g) ?? []).sort().join(' ');
type Scan = {
  engineTexts: (r: string, dirs?: string[]) => [string, string, string[]][];
  plainStringErrors: (r: string, dirs?: string[]) => [string, string][];
  verbatimUses: (r: string, dirs?: string[]) => string[];
};
const scan = () => import(join(root, 'tools', 'l10n-engine-texts.mjs')) as Promise<Scan>;

const FIXTURE = join(HF_FIXTURES, 'models', 'gpt2-tiny');

/** A copy of the gpt2-tiny fixture whose tensor `name` is stored transposed: the same bytes, the wrong shape. */
function transposed(dir: string, name: string): { folder: string; stored: string; shape: number[] } {
  const folder = mkdtempSync(join(dir, 'ck-'));
  copyFileSync(join(FIXTURE, 'config.json'), join(folder, 'config.json'));
  const bytes = new Uint8Array(readFileSync(join(FIXTURE, 'model.safetensors')));
  const header = readHeader(memorySource(bytes), 'fixture');
  let stored = '', shape: number[] = [];
  const tensors = [...header.tensors.values()].map((ti) => {
    const wrong = ti.name === name || ti.name.endsWith(`.${name}`);
    if (wrong) { stored = ti.name; shape = [...ti.shape].reverse(); }
    return { name: ti.name, dtype: ti.dtype, shape: wrong ? shape : ti.shape, bytes: bytes.subarray(header.dataStart + ti.begin, header.dataStart + ti.end) };
  });
  writeFileSync(join(folder, 'model.safetensors'), Buffer.concat(encodeSafetensors(tensors)));
  return { folder, stored, shape };
}

/** A worker file that runs the engine worker from source (tsx), so the test needs no build. */
function sourceWorkerDir(dir: string): string {
  const out = join(dir, 'dist');
  mkdirSync(out);
  writeFileSync(join(out, 'engineWorker.js'), `require(${JSON.stringify(require.resolve('tsx/cjs'))});\nrequire(${JSON.stringify(join(root, 'src', 'engine', 'worker', 'engineWorker.ts'))});\n`);
  return out;
}

describe('engine errors: translatable templates with zh-CN text', () => {
  afterEach(() => setBundle({}));

  it('every phrase/modelError template in the engine has a zh-CN entry with the same placeholders, in Chinese', async function () {
    this.timeout(60_000); // parses the engine with the TypeScript compiler
    const texts = (await scan()).engineTexts(root);
    assert.ok(texts.length > 200, `${texts.length} templates found`);
    const problems: string[] = [];
    for (const [at, template] of texts) {
      if (/\{(?!\d+\})|(?<!\{\d+)\}/.test(template)) problems.push(`${at} has a brace that is not a placeholder: ${template}`);
      const cn = zh[template];
      if (cn === undefined) problems.push(`${at} has no zh-CN entry: ${JSON.stringify(template)}`);
      else if (placeholders(cn) !== placeholders(template)) problems.push(`${at}: placeholders differ in ${JSON.stringify(cn)}`);
      else if (/[a-z]{3,}\s[a-z]{3,}/.test(template.replace(/\{\d+\}|[\w.]*_[\w.]*|"[^"]*"|\b(config|model|tokenizer)\.json\b/g, '')) && !/[\u4e00-\u9fff]/.test(cn)) problems.push(`${at}: ${JSON.stringify(cn)} is not Chinese`);
    }
    assert.deepEqual(problems, []);
  });

  it('no engine error is built from a plain string; verbatim text only where the host checked the request first', async function () {
    this.timeout(60_000);
    const s = await scan();
    assert.deepEqual(s.plainStringErrors(root).map(([at, src]) => `${at}  ${src}`), []);
    assert.deepEqual(s.verbatimUses(root).map((at) => at.replace(/:\d+$/, '')), ['src/engine/worker/generateHandler.ts', 'src/engine/worker/residualHandler.ts']);
  });

  it('the scan finds a plain-string error and a template (a fixture it has to judge)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'tt-l10n-engine-'));
    try {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'a.ts'), [
        'class ModelError extends Error {}',
        'class HubError extends ModelError {}',
        "throw new ModelError('a plain message');",
        'throw new HubError(`status ${s}`);',
        'throw new ModelError(e.message);',
        'throw modelError`tensor ${name} has shape [${shape}]`;',
        'throw new HubError(phrase`fine ${x}`);',
      ].join('\n'));
      const s = await scan();
      assert.deepEqual(s.plainStringErrors(dir, ['src']).map(([at]) => at), ['src/a.ts:3', 'src/a.ts:4', 'src/a.ts:5']);
      assert.deepEqual(s.engineTexts(dir, ['src']).map(([, template, args]) => [template, args]), [['tensor {0} has shape [{1}]', ['name', 'shape']], ['fine {0}', ['x']]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the English message is the template literal\'s text; nested phrases are translated on their own', () => {
    const big = 2n ** 40n;
    const e = modelError`tensor ${'wte.weight'} has ${3} rows, header ${big}; this is ${phrase`an encoder–decoder`}`;
    assert.ok(e instanceof ModelError);
    assert.equal(e.message, `tensor wte.weight has 3 rows, header ${big}; this is an encoder–decoder`);
    assert.deepEqual({ template: e.l10n.template, args: e.l10n.args.slice(0, 3) }, { template: 'tensor {0} has {1} rows, header {2}; this is {3}', args: ['wte.weight', 3, '1099511627776'] });
    assert.equal(englishOf(e.l10n), e.message);
    // the same text after a structured clone (the worker → host hop): plain objects, no prototype
    const cloned = errorL10nText({ l10n: structuredClone(e.l10n) })!;
    setBundle({ 'tensor {0} has {1} rows, header {2}; this is {3}': '张量 {0} 有 {1} 行，头部 {2}；这是{3}', 'an encoder–decoder': '一个编码器–解码器模型' });
    assert.equal(translateText(cloned, t), '张量 wte.weight 有 3 行，头部 1099511627776；这是一个编码器–解码器模型');
    assert.equal(errorL10nText({ l10n: { template: 'x {0}', args: [{}] } }), undefined, 'a malformed text is not trusted');
  });

  describe('a checkpoint with a tensor of the wrong shape', () => {
    let dir: string;
    before(() => { dir = mkdtempSync(join(tmpdir(), 'tt-shape-zh-')); });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('the CLI\'s English names the tensor and both shapes; the zh-CN text keeps them', () => {
      const { folder, stored, shape } = transposed(dir, 'h.0.attn.c_attn.weight');
      let err: unknown;
      try { loadModel(folder, { kernels: 'typescript' }).dispose(); } catch (e) { err = e; }
      assert.ok(err instanceof ModelError, 'a ModelError');
      assert.equal(err.message, `tensor ${stored} has shape [${shape.join(', ')}], but config.json implies [${[...shape].reverse().join(', ')}]`);
      setBundle(zh);
      const shown = panelErrorText(err, t);
      assert.equal(shown, `张量 ${stored} 的形状是 [${shape.join(', ')}]，但按 config.json 应为 [${[...shape].reverse().join(', ')}]`);
    });

    it('the panel\'s path: worker thread → EngineClient → the text the host posts, in Chinese', async function () {
      this.timeout(120_000);
      const { folder, stored } = transposed(dir, 'h.0.attn.c_attn.weight');
      const engine = new EngineClient(sourceWorkerDir(mkdtempSync(join(dir, 'w-'))));
      try {
        const err = await engine.attention({ model: folder, text: 'hello', record: 'weights' }).result.then(() => undefined, (e: unknown) => e);
        assert.ok(err instanceof Error, 'the request failed');
        assert.match(err.message, /has shape \[.*\], but config\.json implies/);
        setBundle(zh);
        const shown = panelErrorText(err, t);
        assert.match(shown, /^张量 .+ 的形状是 \[\d+, \d+\]，但按 config\.json 应为 \[\d+, \d+\]$/);
        assert.ok(shown.includes(stored), 'the tensor name is kept');
        setBundle({});
        assert.equal(panelErrorText(err, t), err.message, 'without a bundle the panel shows the English');
      } finally {
        engine.dispose();
      }
    });

    it('a folder in place of the weights file: the file kind is translated inside the message', () => {
      const folder = mkdtempSync(join(dir, 'ck-'));
      copyFileSync(join(FIXTURE, 'config.json'), join(folder, 'config.json'));
      mkdirSync(join(folder, 'model.safetensors'));
      let err: unknown;
      try { loadModel(folder, { kernels: 'typescript' }).dispose(); } catch (e) { err = e; }
      assert.ok(err instanceof ModelError);
      assert.equal(err.message, `weights file ${join(folder, 'model.safetensors')} is a folder, not a regular file`);
      setBundle(zh);
      assert.equal(panelErrorText(err, t), `权重文件 ${join(folder, 'model.safetensors')} 是文件夹，不是普通文件`);
    });
  });
});
