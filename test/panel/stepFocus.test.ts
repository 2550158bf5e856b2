/**
 * The code hover's "Show this step with live numbers" (src/shared/stepFocus.ts): every step
 * the analysis finds in the corpus (nanoGPT, Llama) travels as the hover's command argument
 * (JSON in the command URI, as codeHover.ts writes it), becomes a showStep message the
 * webview accepts, names ids the step trace renders, and survives the inspector's state
 * (initialState); anything else opens the Attention tab or is refused.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeCode } from '../../src/engine/code/analyze';
import { isHostToWebview, type PanelAttention } from '../../src/shared/protocol';
import { CODE_STEP_KINDS, showStepMessage, stepTraceTargets } from '../../src/shared/stepFocus';
import { initialState } from '../../webview/views/attention/state';

const root = join(__dirname, '..', '..');
const fixture = (f: string) => readFileSync(join(root, 'test', 'fixtures', 'code', f), 'utf8');
const source = (f: string) => readFileSync(join(root, 'webview', 'views', 'attention', f), 'utf8');

/** What the command receives: the hover's link `command:…?<encoded JSON array>`, decoded as VS Code does. */
function commandArgument(kind: string): unknown {
  const query = encodeURIComponent(JSON.stringify([kind]));
  return (JSON.parse(decodeURIComponent(query)) as unknown[])[0];
}

describe('code hover link → step trace', () => {
  it('every step found in nanoGPT and Llama code routes to a showStep message for that step', async () => {
    const kinds = new Set<string>();
    for (const f of ['nanogpt_attention.py', 'llama_rotary.py']) for (const s of (await analyzeCode(fixture(f), 'python')).steps) kinds.add(s.kind);
    for (const k of ['scores', 'scale', 'mask', 'causal-mask', 'softmax', 'weighted-sum', 'gqa', 'rotary', 'rmsnorm']) assert.ok(kinds.has(k), `the corpus has a ${k} step`);
    for (const kind of kinds) {
      const m = showStepMessage(commandArgument(kind));
      assert.deepEqual(m, { type: 'showStep', step: kind });
      assert.ok(isHostToWebview(m), `${kind}: the webview accepts it`);
    }
  });

  it('an argument that is no step opens the Attention tab; a showStep with an unknown step is refused', () => {
    for (const arg of [undefined, '', 'attention', 42, ['softmax'], { step: 'softmax' }]) assert.deepEqual(showStepMessage(arg), { type: 'showTab', tab: 'attention' });
    assert.equal(isHostToWebview({ type: 'showStep', step: 'softmin' }), false);
    assert.equal(isHostToWebview({ type: 'showStep' }), false);
  });

  it('each step names ids the step trace renders; the last choice of each is a block every trace has', () => {
    const view = source('stepView.ts');
    const everywhere = source('stepView.ts') + source('softmaxLines.ts') + source('ropeStep.ts');
    for (const kind of CODE_STEP_KINDS) {
      const ids = stepTraceTargets(kind);
      assert.ok(ids.length > 0, kind);
      for (const id of ids) assert.ok(everywhere.includes(`'${id}'`), `${kind}: no element with id ${id}`);
      // the fallback is one of renderStep's own blocks, given as stepBlock's id
      assert.match(view, new RegExp(`\\], [^\\n]*'${ids[ids.length - 1]}'\\),`), `${kind}: ${ids[ids.length - 1]} is not a block id in renderStep`);
    }
    assert.deepEqual([...new Set(CODE_STEP_KINDS.map((k) => stepTraceTargets(k).at(-1)))].sort(), ['step-masking', 'step-output', 'step-residual', 'step-scores', 'step-softmax']);
  });

  it('the inspector state keeps a step focus across renders and drops one that is no step', () => {
    const a = { T: 4, heads: 2, layers: 1 } as PanelAttention;
    assert.equal(initialState(a, { stepFocus: 'softmax' }).stepFocus, 'softmax');
    assert.equal(initialState(a, { stepFocus: 'softmin' as never }).stepFocus, undefined);
    assert.equal('stepFocus' in initialState(a, {}), false);
  });
});
